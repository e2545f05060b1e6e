/**
 * emit's record of the out folder (src/stages/emit/trust.ts): given a store, emit keeps each
 * file's size, time and inode as it leaves the folder, and the next emit reads and hashes only the
 * files whose stat is not the recorded one. A file edited after the build (even to the same size),
 * replaced by another of the same size and time, or added, is still refused as with no record; a
 * record of another shape, or none, means every file is read as before.
 */

import { lstat, readFile, rename, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Shape, Store } from "../src/model/store.js";
import { EmitError, emit } from "../src/stages/emit/index.js";
import { type OutRecord, recordKey } from "../src/stages/emit/trust.js";
import { scratch, snapshotDir } from "./helpers.js";

/** An in-memory Store that keeps values as JSON text, as the build cache's pack does. */
function memoryStore(): Store & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get<T>(parts: readonly unknown[], shape: Shape<T>): T | undefined {
      const text = entries.get(JSON.stringify(parts));
      if (text === undefined) return undefined;
      const value: unknown = JSON.parse(text);
      return shape(value) ? value : undefined;
    },
    set(parts: readonly unknown[], value: unknown): void {
      entries.set(JSON.stringify(parts), JSON.stringify(value));
    },
  };
}

const FILES = new Map([
  ["index.js", "export const a = 1;\n"],
  ["validators/x.cjs", "module.exports = 1;\n"],
  ["events.json", "[]\n"],
]);

/** A folder emitted with a store, and the store holding its record. */
async function emitted(name: string): Promise<{ out: string; store: ReturnType<typeof memoryStore>; manifest: string }> {
  const out = path.join(await scratch(name), "out");
  const store = memoryStore();
  const receipt = await emit(out, FILES, { store });
  return { out, store, manifest: receipt.manifest };
}

/** Writes other bytes of the same length into a built file, in place (same inode). */
async function sameSizeEdit(file: string): Promise<void> {
  const text = await readFile(file, "utf8");
  await writeFile(
    file,
    text.replace(/[0-9]/, (d) => String((Number(d) + 1) % 10)),
  );
  expect((await readFile(file, "utf8")).length).toBe(text.length);
}

describe("emit's record of the out folder", () => {
  it("records every file's size, time and inode under the folder and its manifest's hash", async () => {
    const { out, store, manifest } = await emitted("trust-record");
    const record = store.get(recordKey(path.resolve(out), manifest), (v): v is OutRecord => typeof v === "object" && v !== null);
    expect(Object.keys(record?.files ?? {}).sort()).toEqual([...FILES.keys()].sort());
    for (const name of FILES.keys()) {
      const s = await lstat(path.join(out, name));
      expect(record?.files[name]).toEqual([s.size, s.mtimeMs, s.ino]);
    }
  });

  it("reads no file whose stat is the recorded one (a change that keeps the stat is the documented limit)", async () => {
    const { out, store, manifest } = await emitted("trust-skips");
    const file = path.join(out, "index.js");
    await sameSizeEdit(file);
    // Pretend the edit kept the file's stat: the record now says what the file's stat is.
    const key = JSON.stringify(recordKey(path.resolve(out), manifest));
    const record = JSON.parse(store.entries.get(key) as string) as OutRecord;
    const s = await lstat(file);
    record.files["index.js"] = [s.size, s.mtimeMs, s.ino];
    store.entries.set(key, JSON.stringify(record));
    // Trusted, hence not read: no refusal, and the new bytes replace it.
    const next = new Map([...FILES, ["index.js", "export const a = 3;\n"]]);
    await emit(out, next, { store });
    expect(await readFile(file, "utf8")).toBe(next.get("index.js"));
    // Without the record the same change is found.
    await sameSizeEdit(file);
    await expect(emit(out, next)).rejects.toThrow(EmitError);
  });

  it("refuses a file edited after the build to the same size, as without a record", async () => {
    for (const withStore of [true, false]) {
      const { out, store } = await emitted(`trust-edit-${withStore}`);
      await sameSizeEdit(path.join(out, "validators/x.cjs"));
      const before = await snapshotDir(out);
      await expect(emit(out, FILES, withStore ? { store } : {})).rejects.toThrow(EmitError);
      expect(await snapshotDir(out)).toEqual(before);
    }
  });

  it("refuses a file replaced by another of the same size and time", async () => {
    const { out, store } = await emitted("trust-replace");
    const file = path.join(out, "index.js");
    const s = await lstat(file);
    const other = path.join(path.dirname(out), "other.js");
    await writeFile(other, (FILES.get("index.js") as string).replace("1", "2"));
    await utimes(other, s.atime, s.mtime);
    await rename(other, file);
    await expect(emit(out, FILES, { store })).rejects.toThrow(/changed since the build wrote it/);
  });

  it("refuses a file added beside the recorded ones", async () => {
    const { out, store } = await emitted("trust-added");
    await writeFile(path.join(out, "validators/mine.cjs"), "// mine\n");
    await expect(emit(out, FILES, { store })).rejects.toThrow(/validators\/mine\.cjs/);
  });

  it("reads every file when the record is of another shape", async () => {
    const { out, store, manifest } = await emitted("trust-bad-record");
    store.entries.set(JSON.stringify(recordKey(path.resolve(out), manifest)), JSON.stringify({ format: 1, files: { "index.js": "x" } }));
    await sameSizeEdit(path.join(out, "index.js"));
    await expect(emit(out, FILES, { store })).rejects.toThrow(EmitError);
  });

  it("keeps the next build's record, so that the folder it wrote is trusted in turn", async () => {
    const { out, store } = await emitted("trust-next");
    const next = new Map([...FILES, ["events.json", '["changed"]\n']]);
    const receipt = await emit(out, next, { store });
    const record = store.get(recordKey(path.resolve(out), receipt.manifest), (v): v is OutRecord => typeof v === "object" && v !== null);
    expect(record?.files["events.json"]?.[0]).toBe('["changed"]\n'.length);
    await sameSizeEdit(path.join(out, "index.js"));
    await expect(emit(out, next, { store })).rejects.toThrow(EmitError);
  });
});
