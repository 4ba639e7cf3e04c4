// A chromosome the search space refuses: the contract's error, so the CLI,
// the API and the job runner recognise it by its code wherever it was raised.
export { InvalidChromosomeError, formatIssue, type ChromosomeIssue } from "@drnn/contract";
