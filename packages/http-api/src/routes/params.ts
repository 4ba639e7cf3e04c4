import { z } from "zod";
import { ApiError } from "../errors.js";

/** Ids are UUIDs; anything else cannot name a row, so it is a 404 rather than a database error. */
export const IdParam = {
  parse(params: Record<string, string>): { id: string } {
    const r = z.object({ id: z.uuid() }).safeParse(params);
    if (!r.success) throw new ApiError("NOT_FOUND", `no such id: ${JSON.stringify(params["id"] ?? "")}`);
    return r.data;
  },
};
