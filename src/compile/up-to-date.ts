/**
 * The no-op build: when nothing under the events folder changed (by content), the tools are the
 * same and the out folder is exactly as the last build of this tree left it, the build has nothing
 * to do. The fingerprint hashes what discover read (every file's path and bytes, and what discover
 * found wrong with the tree), not times: a touched file is not a change, an edit that keeps the
 * time is one. When every file's stat is the one recorded when its bytes were last read, the
 * recorded hashes stand in for reading them (known-tree.ts); otherwise discover reads the tree,
 * once, whether or not the build turns out to be a no-op.
 *
 * The stamp describes only what its own build wrote: the hash of the manifest emit wrote, and each
 * file's size and time as emit wrote it (emit's receipt, taken before the swap, while the build
 * held the folder's lock), never a listing taken afterwards, when another build may have replaced
 * the folder. The out folder is up to date when its manifest is that one (by hash), it holds
 * exactly those files with those sizes and times, and no swap into it is unfinished. Two builds of
 * different trees into one folder each keep their own stamp; the folder's manifest tells which of
 * them (if either) it holds.
 *
 * The same fingerprint answers `check` (checkFingerprint, lastCheck, recordCheck): a check's
 * findings are a function of the tree's bytes, the tools, where the tree sits (findings name files
 * relative to the current folder) and the baseline it is checked against. So the findings of a
 * good check or build are kept under the fingerprint of exactly those, as any other cache entry:
 * never updated, only added. A check whose fingerprint has an entry returns its findings without
 * parsing or validating anything; any other reads, parses and checks the tree in full.
 */

import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../diagnostics/index.js";
import { type EmitReceipt, manifestHash, swapPending } from "../stages/emit/index.js";
import { type CacheDir, cacheKey, listFiles, readStamp, writeStamp } from "./cache.js";
import type { TreeDigest } from "./known-tree.js";
import { isArrayOf, isCount, isDiagnostic, isRecord, isString, type Shape } from "./shapes.js";

/** What the last build of a tree into an out folder recorded. */
interface Stamp {
  fingerprint: string;
  /** The sha256 of the manifest that build wrote. */
  manifest: string;
  /** The out folder's files as that build wrote them: [relative path, size, mtimeMs]. */
  out: [string, number, number][];
  diagnostics: Diagnostic[];
  events: number;
}

const isStamp: Shape<Stamp> = (value): value is Stamp =>
  isRecord(value) &&
  isString(value.fingerprint) &&
  isString(value.manifest) &&
  isArrayOf(
    value.out,
    (f): f is [string, number, number] =>
      Array.isArray(f) && f.length === 3 && isString(f[0]) && isCount(f[1]) && typeof f[2] === "number" && Number.isFinite(f[2]),
  ) &&
  isArrayOf(value.diagnostics, isDiagnostic) &&
  isCount(value.events);

/** A hash of the tree as discover read it (paths, bytes, its findings: its digest) and of the tools. */
export function fingerprint(tree: TreeDigest, tools: Record<string, string>): string {
  const hash = createHash("sha256").update(JSON.stringify(tools)).update(JSON.stringify(tree.diagnostics));
  for (const [rel, bytesHash] of tree.files) hash.update(rel).update("\0").update(bytesHash).update("\0");
  return hash.digest("hex");
}

function stampKey(eventsDir: string, outDir: string): string {
  return cacheKey("stamp", path.resolve(eventsDir), path.resolve(outDir));
}

/** The last build's stamp when the build would be a no-op, else undefined. */
export async function upToDate(cache: CacheDir, eventsDir: string, outDir: string, print: string): Promise<Stamp | undefined> {
  const stamp = await readStamp(cache, stampKey(eventsDir, outDir), isStamp);
  if (!stamp || stamp.fingerprint !== print) return undefined;
  if (await swapPending(outDir)) return undefined;
  if ((await manifestHash(outDir)) !== stamp.manifest) return undefined;
  try {
    const now = new Set(listFiles(outDir));
    if (now.size !== stamp.out.length) return undefined;
    for (const [rel, size, mtime] of stamp.out) {
      if (!now.has(rel)) return undefined;
      const s = statSync(path.join(outDir, rel));
      if (s.size !== size || s.mtimeMs !== mtime) return undefined;
    }
  } catch {
    return undefined;
  }
  return stamp;
}

/** Records a build into `outDir` from what its emit wrote (the receipt), not from the folder as it is now. */
export async function recordBuild(
  cache: CacheDir,
  eventsDir: string,
  outDir: string,
  print: string,
  receipt: EmitReceipt,
  diagnostics: Diagnostic[],
  events: number,
): Promise<void> {
  const stamp: Stamp = { fingerprint: print, manifest: receipt.manifest, out: receipt.files, diagnostics, events };
  await writeStamp(cache, stampKey(eventsDir, outDir), stamp);
}

// ---------------------------------------------------------------------------------------------
// The findings of the last good check

/** What a good check or build of a tree found: its warnings, and how many event versions it saw. */
export interface CheckStamp {
  kind: "check";
  diagnostics: Diagnostic[];
  events: number;
}

const isCheckStamp: Shape<CheckStamp> = (value): value is CheckStamp =>
  isRecord(value) && value.kind === "check" && isArrayOf(value.diagnostics, isDiagnostic) && isCount(value.events);

/** Everything a check's findings depend on, besides the tree itself: where it sits, and the baseline. */
export interface CheckContext {
  /** The current folder: findings name files relative to it. */
  cwd: string;
  eventsDir: string;
  /** The entries of the last release a check refuses edits of (check --against), when given. */
  baseline?: readonly unknown[] | undefined;
}

/** The fingerprint of a check: the tree as discover read it, the tools, where the tree sits, the baseline. */
export function checkFingerprint(tree: TreeDigest, tools: Record<string, string>, context: CheckContext): string {
  const baseline = context.baseline === undefined ? "none" : createHash("sha256").update(JSON.stringify(context.baseline)).digest("hex");
  const where = { cwd: path.resolve(context.cwd), events: path.resolve(context.cwd, context.eventsDir) };
  return fingerprint(tree, { ...tools, "check:where": JSON.stringify(where), "check:baseline": baseline });
}

function checkKey(print: string): string {
  return cacheKey("check", print);
}

/** The findings of a good check or build whose fingerprint is `print`, if one was recorded (and reads back intact). */
export async function lastCheck(cache: CacheDir, print: string): Promise<CheckStamp | undefined> {
  return readStamp(cache, checkKey(print), isCheckStamp);
}

/** Records the findings of a good check or build (no error among them) under its fingerprint. */
export async function recordCheck(cache: CacheDir, print: string, diagnostics: Diagnostic[], events: number): Promise<void> {
  const stamp: CheckStamp = { kind: "check", diagnostics, events };
  await writeStamp(cache, checkKey(print), stamp);
}
