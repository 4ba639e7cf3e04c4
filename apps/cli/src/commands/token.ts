// `drnn token create --name N --scope read|write`: an API bearer token,
// printed once (only its SHA-256 is stored). `drnn token revoke ID`.
import type { Command } from "commander";
import { TOKEN_SCOPES } from "@drnn/http-api";
import { action, type ContextFactory } from "../command.js";
import { UsageError } from "../errors.js";
import { withPlatform } from "./campaign.js";

export function registerTokenCommands(program: Command, ctx: ContextFactory): void {
  const token = program.command("token").description("API bearer tokens for the dashboard and scripts");
  token
    .command("create")
    .description("create a token and print it once (write implies read)")
    .option("--name <name>", "who or what uses it")
    .option("--scope <scope>", TOKEN_SCOPES.join(" | "), "read")
    .action(
      action<{ name?: string; scope: string }>(ctx, {
        handler: (c, f) =>
          withPlatform(c, async (p) => {
            if (!f.name?.trim()) throw new UsageError("--name is required");
            if (!(TOKEN_SCOPES as readonly string[]).includes(f.scope)) throw new UsageError(`--scope must be one of ${TOKEN_SCOPES.join(", ")}; got ${f.scope}`);
            const { token: plaintext, record } = await p.repos.tokens.create(f.name.trim(), [f.scope]);
            return { id: record.id, name: record.name, scopes: record.scopes, token: plaintext };
          }),
        human: (r) => `${String(r["token"])}\n(token '${String(r["name"])}', scopes ${JSON.stringify(r["scopes"])}, id ${String(r["id"])}: shown once, store it now)`,
      }),
    );
  token
    .command("revoke <id>")
    .description("revoke a token by its id")
    .action(
      action(ctx, {
        handler: (c, _f, [id]) =>
          withPlatform(c, async (p) => {
            await p.repos.tokens.revoke(id ?? "");
            return { id, revoked: true };
          }),
      }),
    );
}
