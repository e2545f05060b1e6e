/**
 * emit: the only writer. Writes the generated files into a fresh sibling folder, then swaps it in
 * with renames, so that the out folder is either as it was or complete: never half written, and
 * no temporary folder is left behind, whatever fails.
 */

import { randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/** How many files emit writes at the same time. */
const WRITES_AT_ONCE = 32;

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
    const entries = [...files].sort(([a], [b]) => (a < b ? -1 : 1));
    // Each folder once, then the files a few dozen at a time: one by one, thousands of small
    // files wait on the disk in turn (a 1,000-event package is over 2,000 files).
    for (const dir of [...new Set(entries.map(([name]) => path.dirname(path.join(tmp, name))))].sort()) {
      await mkdir(dir, { recursive: true });
    }
    let next = 0;
    const writer = async () => {
      while (next < entries.length) {
        const [name, text] = entries[next++] as [string, string];
        await writeFile(path.join(tmp, name), text);
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITES_AT_ONCE, entries.length) }, writer));
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

/**
 * Replaces one file's content atomically (fmt): writes a temporary file beside it, with the file's
 * permissions, then renames it over the file. Readers see the old content or the new, never a part.
 */
export async function writeFileAtomic(file: string, text: string, display = file): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  try {
    const mode = (await stat(file).catch(() => undefined))?.mode;
    await writeFile(tmp, text, { flag: "wx" });
    if (mode !== undefined) await chmod(tmp, mode & 0o7777);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new EmitError(`could not write ${display} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * Creates new files (`new`: a scaffolded event, its system.json, a next version), never replacing
 * one: each is written with the exclusive flag, in the given order, with the folders it needs. When
 * a write fails, what this call created is removed again. Returns a function that removes it all
 * (for when the check after writing refuses what was written).
 */
export async function emitNew(root: string, files: readonly { rel: string; file: string; text: string }[]): Promise<() => Promise<void>> {
  const created: { path: string; folder: boolean }[] = [];
  const undo = async () => {
    for (const c of created.splice(0).reverse()) {
      // A folder goes only when empty: something else may have been put in it meanwhile.
      await (c.folder ? rmdir(c.path) : rm(c.path, { force: true })).catch(() => undefined);
    }
  };
  for (const f of files) {
    const full = path.resolve(root, f.rel);
    try {
      // One folder at a time, so that exactly the folders this call made are known.
      const missing: string[] = [];
      for (let dir = path.dirname(full); !(await stat(dir).catch(() => undefined)); dir = path.dirname(dir)) missing.unshift(dir);
      for (const dir of missing) {
        await mkdir(dir);
        created.push({ path: dir, folder: true });
      }
      await writeFile(full, f.text, { flag: "wx" });
      created.push({ path: full, folder: false });
    } catch (e) {
      await undo();
      const code = (e as NodeJS.ErrnoException).code;
      throw new EmitError(
        code === "EEXIST"
          ? `${f.file} exists already; nothing was written`
          : `could not write ${f.file} (${code ?? (e as Error).message}); nothing was written`,
      );
    }
  }
  return undo;
}

/** A refusal to write, caused by the user's choice of folder rather than by a bug. */
export class EmitError extends Error {
  // The CLI recognises it by name (an instance of another copy of this module would fail instanceof).
  override name = "EmitError";
}
