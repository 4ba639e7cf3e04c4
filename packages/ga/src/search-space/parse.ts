import { DrnnError } from "@drnn/contract";
import { SearchSpaceSchema, type SearchSpace } from "./schema.js";

export interface SearchSpaceIssue {
  /** Dotted path into the document, e.g. "genes.3.default". */
  readonly path: string;
  readonly message: string;
}

export class InvalidSearchSpaceError extends DrnnError {
  override readonly name = "InvalidSearchSpaceError";
  readonly code = "INVALID_SEARCH_SPACE" as const;
  constructor(readonly issues: readonly SearchSpaceIssue[]) {
    super(`invalid search space: ${issues.map((i) => `${i.path || "(document)"}: ${i.message}`).join("; ")}`);
  }
}

/** Validates a user-supplied search-space document; throws InvalidSearchSpaceError. */
export function parseSearchSpace(json: unknown): SearchSpace {
  const result = SearchSpaceSchema.safeParse(json);
  if (result.success) return result.data;
  throw new InvalidSearchSpaceError(
    result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
  );
}
