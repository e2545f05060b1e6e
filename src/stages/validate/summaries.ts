/**
 * The reference summaries of the schema files (schema/ref-summary.ts), kept in a Store
 * (model/store.ts; the build cache's, from compile/memo.ts) by each file's path and content hash,
 * so that after an edit only the edited file is walked for them: the tree rules (refs.ts: cycles,
 * depth through references) and the runner's "what does this file refer to" read the summaries,
 * and the whole-tree answer is graph work over them (schema/ref-graph.ts), on every run.
 *
 * A summary depends on the file's bytes (its JSON) and its path (references resolve from it), and
 * on nothing else: the key holds both. Without a store, every summary is worked out from the
 * parsed file, as the rules ask for it.
 */

import { createHash } from "node:crypto";
import { fileHash } from "../../model/content-hash.js";
import type { Store } from "../../model/store.js";
import type { ParsedFile } from "../../model/tree.js";
import { isRefSummary, type RefSummary, refSummary, rememberRefSummary } from "../../schema/ref-summary.js";

/** The kind of entry and its layout's version: a new layout of the summary is a new key. */
const ENTRY = ["ref-summary", 1] as const;
/** The sha256 of a file's summary as stored, by the file's path and bytes: what the tree rules' outcome is keyed by. */
const HASH_ENTRY = ["ref-summary-hash", 1] as const;

const isHash = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);

/**
 * A summary as the store keeps it: without the pointers of an event file's subschemas, which are
 * most of its size and needed only to name a place in it (no other file may refer into an event:
 * SCHEMA_REF_TO_EVENT), when they are worked out again from the file.
 */
function storedForm(file: ParsedFile): RefSummary {
  const { pointers, ...rest } = refSummary(file);
  return file.kind.kind === "shared" ? { pointers, ...rest } : rest;
}

/** The parsed files whose summary each store is known to hold: asked or told once per process. */
const held = new WeakMap<Store, WeakSet<object>>();

/**
 * Makes the summaries of `files` known for this run: remembered from the store when it holds one
 * for the file's path and bytes (their content hash: worked out once per run, model/content-hash.ts),
 * else worked out (one walk of the file) and given to the store.
 *
 * Returns, with a store, a hash of every file's path and summary in order: the whole-tree rules'
 * outcome depends on nothing else, so an edit that changes no reference (a bound, a description)
 * gives the same hash, and a tree found clean with it is clean again (index.ts).
 */
export function loadRefSummaries(files: Iterable<ParsedFile>, store: Store | undefined): string | undefined {
  if (!store) return undefined;
  const tree = createHash("sha256");
  let known = held.get(store);
  if (!known) {
    known = new WeakSet();
    held.set(store, known);
  }
  for (const file of files) {
    const bytes = fileHash(file);
    const hashParts = [...HASH_ENTRY, file.rel, bytes];
    let summaryHash = store.get(hashParts, isHash);
    if (!known.has(file)) {
      known.add(file);
      const parts = [...ENTRY, file.rel, bytes];
      const kept = store.get(parts, isRefSummary);
      if (!kept) {
        store.set(parts, storedForm(file));
        summaryHash = undefined;
      }
      // The same as one worked out in this run (the file was checked), if it was: the same bytes.
      else rememberRefSummary(file, kept);
    }
    if (summaryHash === undefined) {
      summaryHash = createHash("sha256")
        .update(JSON.stringify(storedForm(file)))
        .digest("hex");
      store.set(hashParts, summaryHash);
    }
    tree.update(file.rel).update("\0").update(summaryHash).update("\0");
  }
  return tree.digest("hex");
}
