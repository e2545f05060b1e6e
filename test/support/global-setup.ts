/**
 * Before the tests: clear what earlier runs left in the scratch folder .tmp/ (it is gitignored).
 * Only entries older than an hour go, so that a run going on beside this one keeps its files.
 */

import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";

export default async function setup(): Promise<void> {
  const tmp = path.resolve(import.meta.dirname, "../../.tmp");
  const names = await readdir(tmp).catch(() => [] as string[]);
  const cutoff = Date.now() - 60 * 60 * 1000;
  for (const name of names) {
    const full = path.join(tmp, name);
    const info = await stat(full).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) await rm(full, { recursive: true, force: true });
  }
}
