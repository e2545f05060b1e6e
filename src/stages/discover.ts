/**
 * discover: the only reader of the events tree. Lists every entry with glob, refuses symbolic
 * links, reads each file's bytes and classifies it by its path (DESIGN §1).
 */

import { closeSync, fstatSync, opendirSync, openSync, readSync } from "node:fs";
import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { cmp, type Diagnostic, diagnostic, hasErrors, START_OF_FILE, type StageResult } from "../diagnostics/index.js";
import { pathNameProblem } from "../model/names.js";
import type { FileKind, SourceFile } from "../model/tree.js";
import { authoringTool } from "../schema/authoring-tools.js";
import { LIMITS } from "../schema/limits.js";

/** Options for discover. */
export interface DiscoverOptions {
  /** The events folder. */
  eventsDir: string;
  /** Folder that diagnostics' file paths are relative to (default: process.cwd()). */
  cwd?: string;
}

/** Reads the events tree. Never throws for a bad tree; a missing folder is a diagnostic. */
export async function discover(options: DiscoverOptions): Promise<StageResult<SourceFile[]>> {
  const cwd = options.cwd ?? process.cwd();
  const root = path.resolve(cwd, options.eventsDir);
  const display = (rel: string) => toPosix(path.relative(cwd, path.join(root, rel)) || ".");
  const diagnostics: Diagnostic[] = [];
  const files: SourceFile[] = [];

  const rootStat = await lstat(root).catch(() => undefined);
  if (rootStat?.isSymbolicLink()) {
    const target = await realpath(root).catch(() => undefined);
    diagnostics.push(
      diagnostic("LAYOUT_SYMLINK", display(""), "", "the events folder is a symbolic link", {
        hint: `run check on the real folder: --events ${target ? toPosix(path.relative(cwd, target)) : "<the folder the link points to>"} (npm pack drops links, and they can point anywhere)`,
      }),
    );
    return { value: files, diagnostics };
  }
  if (!rootStat?.isDirectory()) {
    diagnostics.push(
      diagnostic("LAYOUT_NO_EVENTS", display(""), "", `the events folder ${rootStat ? "is not a folder" : "does not exist"}`, {
        hint: `${rootStat ? "pass the folder" : "create the folder, or pass the folder"} that holds <system>/<topic>/<event>.json files with --events DIR (default: ./events)`,
      }),
    );
    return { value: files, diagnostics };
  }

  const rootUnreadable = folderReadError(root);
  if (rootUnreadable) {
    diagnostics.push(readFailed(display(""), rootUnreadable, true));
    return { value: files, diagnostics };
  }

  const { glob } = await authoringTool<typeof import("glob")>("glob");
  const entries = await glob("**/*", { cwd: root, dot: true, withFileTypes: true, follow: false });
  const sorted = entries.map((e) => ({ entry: e, rel: toPosix(e.relative()) })).sort((a, b) => cmp(a.rel, b.rel));

  const reads: { file: string; rel: string; kind: FileKind }[] = [];
  const badFolders = new Set<string>();
  for (const { entry, rel } of sorted) {
    const file = display(rel);
    if (entry.isSymbolicLink()) {
      diagnostics.push(
        diagnostic("LAYOUT_SYMLINK", file, "", "symbolic links are not allowed in the events tree", {
          hint: "replace the link with a copy of what it points to (npm pack drops links, and they can point outside the tree); to share a schema, put it under _shared/ and use $ref",
        }),
      );
      continue;
    }
    if (entry.isDirectory()) {
      // glob passes over a folder it cannot list without a word: its files would silently be missing.
      const unreadable = folderReadError(path.join(root, rel));
      if (unreadable) diagnostics.push(readFailed(file, unreadable, true));
      continue;
    }
    if (!entry.isFile()) continue;
    if (!rel.endsWith(".json")) {
      diagnostics.push(
        diagnostic("LAYOUT_NOT_JSON", file, "", "this file is not a .json file and is ignored", {
          hint: notJsonHint(rel),
          locate: START_OF_FILE,
        }),
      );
      continue;
    }
    const kind = classify(rel);
    // Every name on the path, before the file is read: a path becomes an $id, and ids reach code.
    const bad = kind && pathNameProblem(rel, kind.kind === "shared");
    if (bad) {
      // A bad folder is reported once, at its first file; every file under it is left unread.
      if (bad.folder === undefined || !badFolders.has(bad.folder)) {
        if (bad.folder !== undefined) badFolders.add(bad.folder);
        diagnostics.push(diagnostic("LAYOUT_NAME", file, "", bad.message, { hint: bad.hint, locate: START_OF_FILE }));
      }
      continue;
    }
    if (!kind) {
      diagnostics.push(
        diagnostic("LAYOUT_DEPTH", file, "", "this file is not at <system>/<topic>/<event>.json", {
          hint: depthHint(rel),
          locate: START_OF_FILE,
        }),
      );
      continue;
    }
    reads.push({ file, rel, kind });
  }
  // Read synchronously: a thousand small files read one after the other this way take a fraction
  // of the time that four awaited calls each (open, stat, read, close) would.
  for (const { file, rel, kind } of reads) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = readBounded(path.join(root, rel), LIMITS.fileBytes);
    } catch (e) {
      diagnostics.push(readFailed(file, (e as NodeJS.ErrnoException).code ?? "error", false));
      continue;
    }
    if (bytes) files.push({ file, rel, bytes, kind });
    else {
      diagnostics.push(
        diagnostic("LAYOUT_LIMIT_SIZE", file, "", `the file is larger than ${LIMITS.fileBytes / 1024} KiB`, {
          hint: 'split it: move definitions it repeats to files under _shared/ and refer to them with { "$ref": "../../_shared/<name>.json" }',
          locate: START_OF_FILE,
        }),
      );
    }
  }
  // Only errors silence this one (a misplaced or unreadable file may be the missing event); warnings do not.
  if (!files.some((f) => f.kind.kind === "event") && !hasErrors(diagnostics)) {
    diagnostics.push(
      diagnostic("LAYOUT_NO_EVENTS", display(""), "", "the events folder holds no event", {
        hint: `scaffold one with domain-events new shop/order/order-placed (npm run new in this repository), or add a file such as ${display("shop/order/order-placed.json")} (<system>/<topic>/<event>.json)`,
      }),
    );
  }
  return { value: files, diagnostics };
}

/** The error code when a folder cannot be listed (or entered), else undefined. */
function folderReadError(dir: string): string | undefined {
  try {
    opendirSync(dir).closeSync();
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? "error";
  }
}

/** LAYOUT_READ_FAILED for a file or a folder that its reader may not read. */
function readFailed(file: string, code: string, folder: boolean): Diagnostic {
  const what = folder ? "folder" : "file";
  return diagnostic("LAYOUT_READ_FAILED", file, "", `the ${what} could not be read (${code})`, {
    hint: `make it readable by whoever runs the check, e.g. ${folder ? `chmod a+rx ${file}` : `chmod a+r ${file}`}${folder ? " (a folder needs both r and x)" : ""}`,
  });
}

/** Where a file at the wrong depth belongs: its name under the folders it has, placeholders for the missing ones. */
function depthHint(rel: string): string {
  const parts = rel.split("/");
  const name = parts.at(-1) as string;
  if (name === "system.json") return `a system.json sits directly in its system's folder: move it to <system>/system.json`;
  const [system = "<system>", topic = "<topic>"] = parts.slice(0, -1);
  return `move it to ${system}/${topic}/${name} (events sit at <system>/<topic>/<event>.json), or under _shared/ if it is a shared definition`;
}

/** What to do with a file that is not JSON: YAML can become JSON, anything else belongs outside the tree. */
function notJsonHint(rel: string): string {
  const yaml = /\.ya?ml$/i.exec(rel);
  if (yaml) return `convert it to JSON as ${rel.slice(0, yaml.index)}.json: only .json files are read`;
  return 'move it out of the events folder (it is ignored here); say what an event means in its "description"';
}

/** Reads a file, or returns undefined when it holds more than `limit` bytes (never reading more than that). */
function readBounded(file: string, limit: number): Uint8Array | undefined {
  const fd = openSync(file, "r");
  try {
    const { size } = fstatSync(fd);
    if (size > limit) return undefined;
    // One byte more than the size it had: a file that grew past the limit meanwhile is still caught.
    const buffer = new Uint8Array(size + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > limit) return undefined;
      if (length === buffer.length) break;
    }
    return buffer.slice(0, length);
  } finally {
    closeSync(fd);
  }
}

/** Decides what a path is: an event, a shared definition, a system.json, or nothing (undefined). */
export function classify(rel: string): FileKind | undefined {
  const parts = rel.split("/");
  if (parts.some((p) => p.startsWith("_"))) return { kind: "shared" };
  if (parts.length === 2 && parts[1] === "system.json") return { kind: "system", system: parts[0] as string };
  if (parts.length === 3) {
    const [system, topic, name] = parts as [string, string, string];
    return { kind: "event", system, topic, stem: name.slice(0, -".json".length) };
  }
  return undefined;
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
