/**
 * The no-op build: when nothing under the events folder changed (by content), the tools are the
 * same and the out folder is exactly as the last build left it, the build has nothing to do. The
 * fingerprint hashes what discover read (every file's path and bytes, and what discover found
 * wrong with the tree), not times: a touched file is not a change, an edit that keeps the time is
 * one. So the tree is read once, by discover, whether or not the build turns out to be a no-op.
 * The out folder is compared by each file's size and time.
 */

import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import path from "node:path";
import type { Diagnostic, StageResult } from "../diagnostics.js";
import type { SourceFile } from "../model.js";
import { type CacheDir, cacheKey, listFiles, readEntry, writeEntry } from "./cache.js";

/** What the last build into an out folder recorded. */
interface Stamp {
  fingerprint: string;
  /** The out folder's files: [relative path, size, mtimeMs]. */
  out: [string, number, number][];
  diagnostics: Diagnostic[];
  events: number;
}

/** A hash of the tree as discover read it (paths, bytes, its findings) and of the tools. */
export function fingerprint(found: StageResult<readonly SourceFile[]>, tools: Record<string, string>): string {
  const hash = createHash("sha256").update(JSON.stringify(tools)).update(JSON.stringify(found.diagnostics));
  for (const file of found.value) hash.update(file.rel).update("\0").update(file.bytes).update("\0");
  return hash.digest("hex");
}

function stampKey(eventsDir: string, outDir: string): string {
  return cacheKey("stamp", path.resolve(eventsDir), path.resolve(outDir));
}

/** The last build's stamp when the build would be a no-op, else undefined. */
export async function upToDate(cache: CacheDir, eventsDir: string, outDir: string, print: string): Promise<Stamp | undefined> {
  const stamp = await readEntry<Stamp>(cache, stampKey(eventsDir, outDir));
  if (!stamp || stamp.fingerprint !== print) return undefined;
  try {
    const now = listFiles(outDir);
    if (now.length !== stamp.out.length) return undefined;
    for (const [i, [rel, size, mtime]] of stamp.out.entries()) {
      if (now[i] !== rel) return undefined;
      const s = statSync(path.join(outDir, rel));
      if (s.size !== size || s.mtimeMs !== mtime) return undefined;
    }
  } catch {
    return undefined;
  }
  return stamp;
}

/** Records a build into `outDir`, after it was written. */
export async function recordBuild(
  cache: CacheDir,
  eventsDir: string,
  outDir: string,
  print: string,
  diagnostics: Diagnostic[],
  events: number,
): Promise<void> {
  const out = listFiles(outDir).map((rel): [string, number, number] => {
    const s = statSync(path.join(outDir, rel));
    return [rel, s.size, s.mtimeMs];
  });
  await writeEntry(cache, stampKey(eventsDir, outDir), { fingerprint: print, out, diagnostics, events } satisfies Stamp);
}
