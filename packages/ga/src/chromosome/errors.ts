export interface ChromosomeIssue {
  /** The gene, or "neurons[1]" for one element of a list gene. */
  readonly gene: string;
  /** The offending value as given. */
  readonly value: unknown;
  /** What the gene accepts here, e.g. "integer in [1, 3] (at most l = 3)". */
  readonly allowed: string;
}

/** A chromosome the search space refuses; callers branch on `name`. */
export class InvalidChromosomeError extends Error {
  override readonly name = "InvalidChromosomeError";
  constructor(readonly issues: readonly ChromosomeIssue[]) {
    super(`invalid chromosome: ${issues.map(formatIssue).join("; ")}`);
  }
}

export function formatIssue(issue: ChromosomeIssue): string {
  return `${issue.gene} = ${JSON.stringify(issue.value) ?? String(issue.value)}, allowed: ${issue.allowed}`;
}
