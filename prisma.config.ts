// Used by the stock Prisma CLI (generate, and migrate where the schema engine
// can be downloaded). The platform's own `drnn db deploy` needs no engine.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env["DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:5432/test",
  },
});
