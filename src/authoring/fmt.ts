/**
 * fmt: rewrites the files of the events tree in their canonical form (canonical.ts), or, with
 * `check`, only says which are not in it.
 *
 *   discover (glob, read)  →  parse (strict JSON)  →  canonicalJson  →  compare bytes  →  emit
 *   (each changed file atomically)
 *
 * A file that does not parse is reported with the parse stage's diagnostics and left as it is.
 */

import path from "node:path";
import { type Diagnostic, hasErrors } from "../diagnostics/index.js";
import { canonicalJson } from "../schema/canonical.js";
import { discover } from "../stages/discover.js";
import { writeFileAtomic } from "../stages/emit/files.js";
import { parse } from "../stages/parse.js";

/** What fmt reads, and whether it writes. */
export interface FmtOptions {
  /** The events folder (default `events`). */
  eventsDir?: string;
  /** Folder that paths (diagnostics', `paths`) are relative to (default: process.cwd()). */
  cwd?: string;
  /** Only these files, or the files under these folders, of the tree (default: the whole tree). */
  paths?: readonly string[];
  /** Write nothing: only report the files that are not in canonical form. */
  check?: boolean;
}

/** What fmt did or, with `check`, would do. */
export interface FmtResult {
  /** No error, and (with `check`) every file in canonical form. */
  ok: boolean;
  /** Findings of discover and parse about the selected files. */
  diagnostics: Diagnostic[];
  /** How many files were selected and read. */
  files: number;
  /** The files that were not in canonical form (rewritten, unless `check`), as diagnostics name files. */
  unformatted: string[];
  /** Entries of `paths` that name no file of the events tree; when there are any, nothing is written. */
  unknown: string[];
}

/** Formats the events tree (or the selected files of it). Throws EmitError only when a write fails. */
export async function fmt(options: FmtOptions = {}): Promise<FmtResult> {
  const cwd = options.cwd ?? process.cwd();
  const found = await discover({ eventsDir: options.eventsDir ?? "events", cwd });
  const selected = selection(cwd, options.paths);
  const files = found.value.filter((f) => selected(f.file));
  const diagnostics = found.diagnostics.filter((d) => selected(d.file));
  const unknown = (options.paths ?? []).filter(
    (p) => !found.value.some((f) => within(cwd, f.file, p)) && !found.diagnostics.some((d) => within(cwd, d.file, p)),
  );
  if (unknown.length > 0) return { ok: false, diagnostics, files: files.length, unformatted: [], unknown };

  const parsed = parse(files);
  diagnostics.push(...parsed.diagnostics);
  const changes: { file: string; text: string }[] = [];
  for (const file of parsed.value) {
    const text = canonicalJson(file);
    if (!Buffer.from(text, "utf8").equals(file.bytes)) changes.push({ file: file.file, text });
  }
  if (!options.check) {
    for (const change of changes) await writeFileAtomic(path.resolve(cwd, change.file), change.text, change.file);
  }
  const unformatted = changes.map((c) => c.file);
  const ok = !hasErrors(diagnostics) && (!options.check || unformatted.length === 0);
  return { ok, diagnostics, files: files.length, unformatted, unknown: [] };
}

/** A predicate over display paths: inside one of `paths`, or everything when there are none. */
function selection(cwd: string, paths: readonly string[] | undefined): (file: string) => boolean {
  if (paths === undefined || paths.length === 0) return () => true;
  return (file) => paths.some((p) => within(cwd, file, p));
}

/** True when `file` is `target` or lies under it (both relative to `cwd`). */
function within(cwd: string, file: string, target: string): boolean {
  const f = path.resolve(cwd, file);
  const t = path.resolve(cwd, target);
  return f === t || f.startsWith(`${t}${path.sep}`);
}
