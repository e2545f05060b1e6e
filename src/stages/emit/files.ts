/**
 * The writes of single files into the events tree, beside emit's replacement of an output folder:
 * fmt replaces a file's content atomically, new creates files without ever replacing one.
 */

import { randomBytes } from "node:crypto";
import { chmod, mkdir, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { EmitError } from "./errors.js";

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
