import { Prisma } from "../generated/prisma/client.js";

/** True for a unique-constraint violation (Prisma's P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}
