// The one interface every artifact store implements (PostgreSQL today, an
// S3-compatible object store later): opaque blobs addressed by the sha-256
// of their bytes, written and read as streams. The conformance suite in
// store.conformance.ts is the contract.
import { createHash, type Hash } from "node:crypto";

export type ArtifactKind = "dataset" | "model" | "checkpoint";
export const ARTIFACT_KINDS: readonly ArtifactKind[] = ["dataset", "model", "checkpoint"];

export interface ArtifactInfo {
  /** sha-256 of the bytes, 64 lowercase hex digits. */
  hash: string;
  kind: string;
  label: string | null;
  bytes: number;
  createdAt: Date;
}

export interface PutOptions {
  kind: ArtifactKind;
  /** What it is, for listings (a dataset name, "model drnn v3"). */
  label?: string;
}

export interface ArtifactStore {
  /** Where blobs live, for messages and the dashboard ("postgres", "s3://bucket"). */
  readonly location: string;
  /** Streams `source` in; the hash is computed on the way. The same bytes twice are one blob. */
  put(source: AsyncIterable<Uint8Array>, options: PutOptions): Promise<ArtifactInfo>;
  /** The blob's bytes in order; throws ArtifactMissingError when there is none. Callers verify the hash. */
  get(hash: string): AsyncIterable<Uint8Array>;
  stat(hash: string): Promise<ArtifactInfo | null>;
  list(): Promise<ArtifactInfo[]>;
  /** False when there was nothing to delete. */
  delete(hash: string): Promise<boolean>;
}

export const HASH_PATTERN = /^[0-9a-f]{64}$/;

export function sha256(): Hash {
  return createHash("sha256");
}
