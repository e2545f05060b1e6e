/**
 * The content hash of a file of the tree: the sha256 of the bytes discover read, worked out once per
 * read. The build cache's memos, the no-op fingerprints and the schema stage's reference summaries
 * key by it, so a run hashes each file once. Keyed by the byte array itself, so a file given new
 * bytes gets a new hash.
 */

import { createHash } from "node:crypto";
import type { SourceFile } from "./tree.js";

const contentHashes = new WeakMap<Uint8Array, string>();

/** The sha256 (hex) of a file's bytes, once per array of bytes. */
export function contentHash(bytes: Uint8Array): string {
  let hash = contentHashes.get(bytes);
  if (hash === undefined) {
    hash = createHash("sha256").update(bytes).digest("hex");
    contentHashes.set(bytes, hash);
  }
  return hash;
}

/** A file's content hash: the one discover knew without reading it, else its bytes'. */
export function fileHash(file: SourceFile): string {
  return file.hash ?? contentHash(file.bytes);
}
