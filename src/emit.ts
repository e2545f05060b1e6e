/**
 * emit: the only writer. Writes the generated files into a fresh sibling folder, then swaps it in
 * with renames, so that the out folder is either as it was or complete: never half written, and
 * no temporary folder is left behind, whatever fails.
 */

import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/** Replaces `outDir` with exactly `files`. Refuses to replace a folder that holds anything else. */
export async function emit(outDir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const out = path.resolve(outDir);
  const existing = await stat(out).catch(() => undefined);
  if (existing) {
    if (!existing.isDirectory()) throw new EmitError(`${outDir} exists and is not a folder`);
    const ours = new Set([...files.keys()].map((name) => name.split("/")[0]));
    const foreign = (await readdir(out)).filter((name) => !ours.has(name));
    if (foreign.length > 0) {
      throw new EmitError(
        `${outDir} holds files the build did not make (${foreign.slice(0, 3).join(", ")}); choose an empty or new folder`,
      );
    }
  }
  await replaceDir(out, async (tmp) => {
    for (const [name, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await mkdir(path.dirname(path.join(tmp, name)), { recursive: true });
      await writeFile(path.join(tmp, name), text);
    }
  });
}

/**
 * Fills a new folder beside `outDir` with `fill`, then swaps it in for `outDir`. When `fill` throws,
 * `outDir` is untouched and the new folder removed.
 */
export async function replaceDir(outDir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const out = path.resolve(outDir);
  await mkdir(path.dirname(out), { recursive: true });
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const tmp = `${out}.tmp-${suffix}`;
  const old = `${out}.old-${suffix}`;
  try {
    await mkdir(tmp);
    await fill(tmp);
    const existing = await stat(out).catch(() => undefined);
    if (existing) await rename(out, old);
    try {
      await rename(tmp, out);
    } catch (e) {
      if (existing) await rename(old, out);
      throw e;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}

/** A refusal to write, caused by the user's choice of folder rather than by a bug. */
export class EmitError extends Error {}
