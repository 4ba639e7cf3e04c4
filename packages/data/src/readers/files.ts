// Locating a format's files from --input (a file or a directory).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DataInputError } from "../errors.js";

export function requireExists(path: string): void {
  if (!existsSync(path)) throw new DataInputError(`input ${path} does not exist`);
}

/** The one file in `dir` whose name matches, or `input` itself when it is a file. */
export function findFile(input: string, pattern: RegExp, what: string): string {
  requireExists(input);
  if (!statSync(input).isDirectory()) return input;
  const names = readdirSync(input).filter((n) => pattern.test(n)).sort();
  const name = names[0];
  if (name === undefined) throw new DataInputError(`no ${what} file (${pattern.source}) in ${input}`);
  if (names.length > 1) throw new DataInputError(`several ${what} files in ${input}: ${names.join(", ")}; pass one file`);
  return join(input, name);
}
