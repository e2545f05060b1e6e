/**
 * The no-op build: when nothing under the events folder changed (by content), the tools are the
 * same and the out folder is exactly as the last build left it, the build has nothing to do. The
 * fingerprint hashes every file's path and bytes (not times: a touched file is not a change, an
 * edit that keeps the time is one); the out folder is compared by each file's size and time.
 */

import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import { type CacheDir, cacheKey, listFiles, readEntry, writeEntry } from "./cache.js";

/** What the last build into an out folder recorded. */
interface Stamp {
  fingerprint: string;
  /** The out folder's files: [relative path, size, mtimeMs]. */
  out: [string, number, number][];
  diagnostics: Diagnostic[];
  events: number;
}

/** A hash of every file under `dir` (paths and bytes), or undefined when the folder cannot be read. */
export function fingerprint(dir: string, tools: Record<string, string>): string | undefined {
  const hash = createHash("sha256").update(JSON.stringify(tools));
  try {
    for (const file of listFiles(dir))
      hash
        .update(file)
        .update("\0")
        .update(readFileSync(path.join(dir, file)))
        .update("\0");
  } catch {
    return undefined;
  }
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
