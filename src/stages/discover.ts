/**
 * discover: the only reader of the events tree. Lists every entry with glob (never following a
 * link), refuses symbolic links, checks every name on a file's path
 * before reading it, reads each file's bytes once (up to the size limit) and classifies it by its
 * path (DESIGN §1). Every later stage works on what this returns.
 */

import { type BigIntStats, closeSync, constants, type Dirent, fstatSync, opendirSync, openSync, readdirSync, readSync } from "node:fs";
import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { cmp, type Diagnostic, diagnostic, hasErrors, START_OF_FILE, type StageResult } from "../diagnostics/index.js";
import { contentHash } from "../model/content-hash.js";
import { lazyProperty } from "../model/lazy.js";
import { pathNameProblem } from "../model/names.js";
import { type FileKind, type SourceFile, TreeChanged } from "../model/tree.js";
import { authoringTool } from "../schema/authoring-tools.js";
import { LIMITS } from "../schema/limits.js";

/** Options for discover. */
export interface DiscoverOptions {
  /** The events folder. */
  eventsDir: string;
  /** Folder that diagnostics' file paths are relative to (default: process.cwd()). */
  cwd?: string;
  /** The tree's listing when the caller has already taken it (listTree of the folder), so that it is not listed twice. */
  listed?: TreeEntry[] | string;
  /** Told each file read, with what fstat said of it just before its bytes were read (compile/known-tree.ts). */
  onRead?: (rel: string, stat: BigIntStats) => void;
  /**
   * Files known by their stat, with the hash of their bytes (compile/known-tree.ts): not read now,
   * but when a later stage first asks for their bytes, and then checked against the hash.
   */
  known?: ReadonlyMap<string, string>;
}

/** Reads the events tree. Never throws for a bad tree; a missing folder is a diagnostic. */
export async function discover(options: DiscoverOptions): Promise<StageResult<SourceFile[]>> {
  const cwd = options.cwd ?? process.cwd();
  const root = path.resolve(cwd, options.eventsDir);
  const display = displayPath(cwd, root);
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

  const listed = options.listed ?? (await listTree(root));
  if (typeof listed === "string") {
    diagnostics.push(readFailed(display(""), listed, true));
    return { value: files, diagnostics };
  }

  const reads: { file: string; rel: string; kind: FileKind }[] = [];
  const badFolders = new Set<string>();
  for (const entry of listed) {
    const { rel } = entry;
    const file = display(rel);
    if (entry.type === "link") {
      diagnostics.push(
        diagnostic("LAYOUT_SYMLINK", file, "", "symbolic links are not allowed in the events tree", {
          hint: "replace the link with a copy of what it points to (npm pack drops links, and they can point outside the tree); to share a schema, put it under _shared/ and use $ref",
        }),
      );
      continue;
    }
    if (entry.type === "folder") {
      // A folder that cannot be listed is said so: its files would silently be missing.
      if (entry.unreadable) diagnostics.push(readFailed(file, entry.unreadable, true));
      continue;
    }
    if (entry.type !== "file") continue;
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
    const hash = options.known?.get(rel);
    if (hash !== undefined) {
      files.push(readLater({ file, rel, kind, hash }, path.join(root, rel)));
      continue;
    }
    let bytes: Uint8Array | undefined;
    try {
      bytes = readBounded(path.join(root, rel), LIMITS.fileBytes, rel, options.onRead);
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

/** One entry of the events tree: its path under the folder (with `/`), what it is, and why a folder could not be listed. */
export interface TreeEntry {
  rel: string;
  type: "file" | "folder" | "link" | "other";
  unreadable?: string;
}

/**
 * Every entry under `root`, sorted by path: files, folders, symbolic links (never followed, so a
 * linked folder's files are not listed) and anything else, as glob lists them (`**∕*`, dot files
 * too: glob is one of the build's mandated tools). Returns the error code when `root` itself cannot
 * be listed. glob passes over a folder it cannot list without a word, so every folder is opened
 * once to say so: a folder below the root that cannot be listed is an entry with that code.
 */
export async function listTree(root: string): Promise<TreeEntry[] | string> {
  const rootUnreadable = folderReadError(root);
  if (rootUnreadable) return rootUnreadable;
  const { glob } = await authoringTool<typeof import("glob")>("glob");
  const found = await glob("**/*", { cwd: root, dot: true, withFileTypes: true, follow: false });
  const entries = found.map((e): TreeEntry => {
    const rel = toPosix(e.relative());
    if (e.isSymbolicLink()) return { rel, type: "link" };
    if (e.isDirectory()) {
      const unreadable = folderReadError(path.join(root, rel));
      return unreadable ? { rel, type: "folder", unreadable } : { rel, type: "folder" };
    }
    return { rel, type: e.isFile() ? "file" : "other" };
  });
  return entries.sort((a, b) => cmp(a.rel, b.rel));
}

/**
 * The same listing as listTree's, by plain readdir: for a run that only compares the tree with the
 * listing a former run took with glob (compile/known-tree.ts), where any difference between the two
 * only means that the files are read. A folder that cannot be listed is an entry with its code.
 */
export function walkTree(root: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const visit = (dir: string, prefix: string, children: Dirent[]) => {
    for (const e of children) {
      const rel = prefix + e.name;
      if (e.isSymbolicLink()) entries.push({ rel, type: "link" });
      else if (e.isDirectory()) {
        const folder = path.join(dir, e.name);
        let inside: Dirent[];
        try {
          inside = readdirSync(folder, { withFileTypes: true });
        } catch (error) {
          entries.push({ rel, type: "folder", unreadable: (error as NodeJS.ErrnoException).code ?? "error" });
          continue;
        }
        entries.push({ rel, type: "folder" });
        visit(folder, `${rel}/`, inside);
      } else entries.push({ rel, type: e.isFile() ? "file" : "other" });
    }
  };
  visit(root, "", readdirSync(root, { withFileTypes: true }));
  return entries.sort((a, b) => cmp(a.rel, b.rel));
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

/**
 * How a path under `root` is shown in findings: relative to `cwd`, with `/`. Worked out once for
 * the folder: a path below it is the folder's own path and the rest, unless `cwd` lies inside the
 * folder (its relative path is then all `..`), where each path is worked out in full.
 */
function displayPath(cwd: string, root: string): (rel: string) => string {
  const base = path.relative(cwd, root);
  const full = (rel: string) => toPosix(path.relative(cwd, path.join(root, rel)) || ".");
  if (base === "") return (rel) => rel || ".";
  if (base.split(path.sep).every((part) => part === "..") || path.isAbsolute(base)) return full;
  const prefix = toPosix(base);
  return (rel) => (rel ? `${prefix}/${rel}` : prefix);
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

/**
 * Opened for reading, never through a symbolic link: a file that became a link since the listing
 * is refused (ELOOP) rather than followed out of the tree.
 */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

/**
 * Reads a file, or returns undefined when it holds more than `limit` bytes (never reading more
 * than that). One buffer a file, read into once, and given out as it is (a view of it, no copy).
 */
function readBounded(file: string, limit: number, rel: string, onRead: DiscoverOptions["onRead"]): Uint8Array | undefined {
  const fd = openSync(file, READ_FLAGS);
  try {
    const stat = fstatSync(fd, { bigint: true });
    const size = Number(stat.size);
    if (size > limit) return undefined;
    onRead?.(rel, stat);
    // One byte more than the size it had: a file that grew past the limit meanwhile is still caught.
    const buffer = new Uint8Array(size + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > limit) return undefined;
      // All the bytes fstat counted (no read needed to see the end), or one more: it grew meanwhile.
      if (length === size || length === buffer.length) break;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * A file known by its stat: its bytes read when first asked for, and checked against the hash it
 * was known by. Other bytes (the file was written since its stat was taken) are a TreeChanged error.
 */
function readLater(known: Omit<SourceFile, "bytes"> & { hash: string }, at: string): SourceFile {
  return lazyProperty(known, "bytes", () => {
    let read: Uint8Array | undefined;
    try {
      read = readBounded(at, LIMITS.fileBytes, known.rel, undefined);
    } catch {
      read = undefined;
    }
    if (read === undefined || contentHash(read) !== known.hash) throw new TreeChanged(`${known.file} changed while it was being checked`);
    return read;
  }) as SourceFile;
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
