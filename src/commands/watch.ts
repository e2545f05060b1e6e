/**
 * Watch mode: `check --watch` and `build --watch`. One process keeps running the same pipeline
 * (src/pipeline.ts) whenever a file under the events folder changes, so that everything it keeps
 * between runs (the build cache's folder, the ReDoS verdicts, the loaded tools and meta-schemas)
 * is paid for once.
 *
 *   watchTree (fs.watch on every folder of the tree)  →  watchLoop (debounce; one run at a time,
 *   a change during a run queues exactly one more)  →  run (check or build)  →  notLookedAgain
 *   (the earlier findings this run did not look for)  →  a WatchFrame for the CLI, which renders it
 *   with diffDiagnostics (what is new, what was fixed since the last run; src/cli/render-watch.ts:
 *   pretty, json, github). Nothing here prints.
 *
 * A finding is fixed only when the rule that made it ran again and no longer finds it. An error
 * stops the later stages (a syntax error anywhere, and the version chain does not run): their
 * earlier findings are then not looked for, and the pipeline says so (`unevaluated`, pipeline.ts).
 * Such a finding is carried over, neither fixed nor new, to the next comparison, until a run looks
 * for it again.
 *
 * Node 20's recursive fs.watch on Linux misses events in folders created while it sets itself up
 * (nodejs/node#48437), so the tree is watched folder by folder, and the list of folders is read
 * again before each run; the run itself reads the whole tree, so a file written into a folder
 * before its watcher existed is still seen. The events folder's parent is watched too, for the
 * folder itself being removed, renamed or created.
 */

import { type Dirent, type FSWatcher, readdirSync, statSync, watch } from "node:fs";
import path from "node:path";
import { toolVersions } from "../compile/cache.js";
import type { Diagnostic } from "../diagnostics/index.js";
import { UserError } from "../model/user-error.js";
import { type BuildResult, build, type CheckResult, check, type Unevaluated } from "../pipeline.js";

/** Quiet time after the last change before a run: an editor's save (temp file, rename) is one change. */
export const DEBOUNCE_MS = 80;

// ---------------------------------------------------------------------------------------------
// The difference between two runs' diagnostics

/** What changed in the diagnostics from one run to the next. */
export interface DiagnosticsDiff {
  /** In the new run and not in the previous one (in the new run's order). */
  added: Diagnostic[];
  /** In the previous run and not in the new one (in the previous run's order, with its positions). */
  resolved: Diagnostic[];
  /** In both. */
  unchanged: number;
}

/**
 * The identity of a finding across runs: its rule, file, JSON pointer and message. Not its line:
 * an edit above a finding moves it without making it a new one.
 */
function identity(d: Diagnostic): string {
  return JSON.stringify([d.code, d.file, d.pointer, d.message]);
}

/**
 * Compares two runs' diagnostics as multisets keyed by (code, file, pointer, message): a finding
 * reported twice before and once now is one resolved.
 */
export function diffDiagnostics(previous: readonly Diagnostic[], current: readonly Diagnostic[]): DiagnosticsDiff {
  const before = new Map<string, number>();
  for (const d of previous) before.set(identity(d), (before.get(identity(d)) ?? 0) + 1);
  const added: Diagnostic[] = [];
  let unchanged = 0;
  for (const d of current) {
    const key = identity(d);
    const left = before.get(key) ?? 0;
    if (left > 0) {
      before.set(key, left - 1);
      unchanged++;
    } else added.push(d);
  }
  const resolved: Diagnostic[] = [];
  // Walked backwards so that, of repeated findings, the last ones are the resolved ones.
  for (let i = previous.length - 1; i >= 0; i--) {
    const d = previous[i] as Diagnostic;
    const key = identity(d);
    const left = before.get(key) ?? 0;
    if (left > 0) {
      before.set(key, left - 1);
      resolved.unshift(d);
    }
  }
  return { added, resolved, unchanged };
}

/** Whether a run that did not look for `unevaluated` looked for this finding (in its file). */
export function lookedFor(d: Diagnostic, unevaluated: Unevaluated | undefined): boolean {
  if (unevaluated === undefined) return true;
  if (unevaluated.codes.includes(d.code)) return false;
  // Own keys only: a file path is the tree's, and may be any name.
  return !(Object.hasOwn(unevaluated.files, d.file) && (unevaluated.files[d.file] as readonly string[]).includes(d.code));
}

/**
 * The findings of the previous run that the current one does not report and did not look for
 * again: not fixed, only not checked. Compared as diffDiagnostics compares (a finding the current
 * run reports again is never among them).
 */
export function notLookedAgain(
  previous: readonly Diagnostic[],
  current: readonly Diagnostic[],
  unevaluated: Unevaluated | undefined,
): Diagnostic[] {
  return diffDiagnostics(previous, current).resolved.filter((d) => !lookedFor(d, unevaluated));
}

// ---------------------------------------------------------------------------------------------
// Watching the tree

/** A running watcher of a folder tree. */
export interface TreeWatcher {
  /** Watches the folders created since the last call and drops the removed ones. */
  sync(): void;
  close(): void;
}

/**
 * Watches every folder under `root` (and `root`'s parent, for `root` itself) and calls `onChange`
 * with the absolute path of whatever changed. Throws when the parent cannot be watched (it does not
 * exist, or the system's watch limit is reached); later failures go to `onError`.
 */
export function watchTree(root: string, onChange: (file: string) => void, onError: (error: Error) => void): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  // Watched folders that were created, removed or renamed since: a folder removed and made again
  // under the same name (a branch switch, a restored copy) is another folder, to be watched anew.
  const stale = new Set<string>();
  const parent = path.dirname(root);
  const name = path.basename(root);
  let closed = false;

  const add = (dir: string, filter?: string) => {
    const watcher = watch(dir, { persistent: true }, (_event, file) => {
      if (closed) return;
      const changed = file === null ? dir : path.join(dir, file.toString());
      if (filter !== undefined && changed !== root) return;
      if (changed !== dir && watchers.has(changed)) stale.add(changed);
      onChange(changed);
    });
    watcher.on("error", (e) => {
      // A watched folder that was removed is not an error: the next sync drops it.
      if (closed || (dir !== parent && !isDirectory(dir))) return;
      onError(e);
    });
    watchers.set(dir, watcher);
  };
  const sync = () => {
    if (closed) return;
    const present = new Set(isDirectory(root) ? folders(root) : []);
    const isStale = (dir: string) => [...stale].some((s) => dir === s || dir.startsWith(`${s}${path.sep}`));
    for (const [dir, watcher] of watchers) {
      if (dir !== parent && (!present.has(dir) || isStale(dir))) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    stale.clear();
    for (const dir of present) {
      if (watchers.has(dir)) continue;
      try {
        add(dir);
      } catch (e) {
        // Removed between the listing and the watch: the next sync sees it gone.
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
  };
  add(parent, name);
  try {
    sync();
  } catch (e) {
    close();
    throw e;
  }
  function close() {
    closed = true;
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  }
  return {
    sync: () => {
      try {
        sync();
      } catch (e) {
        onError(e as Error);
      }
    },
    close,
  };
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** `root` and every folder under it (symbolic links are not followed: discover refuses them). */
function folders(root: string): string[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    let entries: Dirent[];
    try {
      entries = readdirSync(out[i] as string, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) if (e.isDirectory()) out.push(path.join(out[i] as string, e.name));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The loop

/** Watching the tree failed (a folder that cannot be watched, the system's limit of watches). */
export class WatchError extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
    this.name = "WatchError";
  }
}

/** What watchLoop needs. */
export interface WatchLoopOptions {
  /** The folder tree to watch. */
  root: string;
  /** One run; `changed` holds the absolute paths changed since the last run (empty for the first). */
  run: (changed: ReadonlySet<string>) => Promise<void>;
  /** Stops the loop: the watchers close, a run under way finishes, and the promise resolves. */
  signal: AbortSignal;
  /** Changes to ignore (build's own output, when it sits inside the tree). */
  ignore?: (file: string) => boolean;
  debounceMs?: number;
}

/**
 * Runs once, then again after every change (debounced), never two runs at once: changes during a
 * run queue exactly one more run. Resolves when `signal` aborts; rejects with a WatchError when
 * watching fails, or with what a run threw.
 */
export function watchLoop(options: WatchLoopOptions): Promise<void> {
  const debounceMs = options.debounceMs ?? DEBOUNCE_MS;
  return new Promise<void>((resolve, reject) => {
    let changed = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    let queued = false;
    let failure: Error | undefined;
    let watcher: TreeWatcher | undefined;
    let stopped = false;

    const stop = (error?: Error) => {
      if (stopped) return;
      stopped = true;
      failure = error;
      clearTimeout(timer);
      watcher?.close();
      options.signal.removeEventListener("abort", onAbort);
      // A run under way finishes (build writes atomically either way); its output is still printed.
      void (running ?? Promise.resolve()).then(() => (failure ? reject(failure) : resolve()));
    };
    const onAbort = () => stop();

    const start = () => {
      const batch = changed;
      changed = new Set();
      running = (async () => {
        watcher?.sync();
        await options.run(batch);
      })().then(
        () => {
          running = undefined;
          // Queued, and no change still settling (its own timer will start the run).
          if (queued && !stopped && timer === undefined) {
            queued = false;
            start();
          }
        },
        (e: unknown) => {
          running = undefined;
          stop(e instanceof Error ? e : new Error(String(e)));
        },
      );
    };
    const fire = () => {
      timer = undefined;
      if (stopped) return;
      if (running) queued = true;
      else {
        queued = false;
        start();
      }
    };
    const onChange = (file: string) => {
      if (stopped || options.ignore?.(file)) return;
      changed.add(file);
      clearTimeout(timer);
      timer = setTimeout(fire, debounceMs);
    };

    if (options.signal.aborted) return resolve();
    options.signal.addEventListener("abort", onAbort);
    try {
      watcher = watchTree(options.root, onChange, (e) => stop(new WatchError(e)));
    } catch (e) {
      options.signal.removeEventListener("abort", onAbort);
      return reject(new WatchError(e as Error));
    }
    start();
  });
}

// ---------------------------------------------------------------------------------------------
// The command

/** What `check --watch` and `build --watch` were given. */
export interface WatchOptions {
  command: "check" | "build";
  eventsDir: string;
  /** build: where to write (atomically, as build does); absent: generate in memory only. */
  outDir?: string;
  /** false: --no-cache. */
  cacheDir?: false;
  debounceMs?: number;
}

/** What one run did: check's or build's result. */
export type WatchOutcome =
  | { command: "check"; result: CheckResult }
  | { command: "build"; outDir: string | undefined; result: BuildResult };

/** One frame of a watch session, for the CLI to render as it comes. */
export type WatchFrame =
  /** A run finished: its result, and the previous run's diagnostics (undefined for the first run). */
  | {
      kind: "run";
      eventsDir: string;
      /** 1 for the first run, then 2, 3 … */
      run: number;
      /** When the run finished. */
      time: Date;
      /** How long the run took, in milliseconds. */
      ms: number;
      /**
       * What the run is compared with: the diagnostics of the run before, and the earlier findings
       * carried over since (see `unchecked`); undefined for the first run. Without `unchecked`.
       */
      previous: readonly Diagnostic[] | undefined;
      /** Earlier findings this run did not look for (an error stopped their stage): neither fixed nor new. */
      unchecked: readonly Diagnostic[];
      outcome: WatchOutcome;
    }
  /** A run after the first threw (the out folder holds files build did not write, say): watching goes on. */
  | { kind: "failed"; eventsDir: string; run: number; error: Error };

/** Watching could not start or go on (a folder that cannot be watched, the system's limit of watches). */
export class WatchFailed extends UserError {}

/**
 * Shared files (`_shared/`, any `_`-folder) reach many events: editing one recompiles all of them,
 * which is worth the worker threads. So is a change to many files at once (a branch switch).
 */
const WORKERS_FROM_FILES = 120;

/**
 * `check --watch`, `build --watch`: runs once, then after every change, and reports each run to
 * `context.onFrame` (the CLI prints the first in full, later ones as what changed). Resolves once
 * stopped by `context.stopSignal()`; throws WatchFailed when watching fails. A run that throws is
 * reported as a "failed" frame and watching goes on, except for the first run, whose error ends
 * the command as it would without --watch.
 */
/** What a watch needs of the CLI (a part of the commands' CommandContext). */
export interface WatchContext {
  onFrame(frame: WatchFrame): void;
  stopSignal(): AbortSignal;
}

export async function watchTreeRuns(options: WatchOptions, context: WatchContext): Promise<void> {
  const { eventsDir } = options;
  const root = path.resolve(eventsDir);
  // Once per session: the versions of the tools in memory are the ones that compile.
  const tools = toolVersions();
  const cache = options.cacheDir === false ? { cacheDir: false as const } : {};
  const outAbs = options.outDir === undefined ? undefined : path.resolve(options.outDir);
  let previous: Diagnostic[] | undefined;
  let run = 0;

  const once = async (changed: ReadonlySet<string>) => {
    run++;
    const started = performance.now();
    // Worker threads start in a few hundred milliseconds of CPU: worth it only when much may recompile.
    const many = changed.size >= WORKERS_FROM_FILES || [...changed].some((f) => path.relative(root, f).split(path.sep).some(isShared));
    const workers = run === 1 || many ? {} : { workers: 0 };
    let outcome: WatchOutcome;
    try {
      outcome =
        options.command === "check"
          ? { command: "check", result: await check({ eventsDir, tools, ...cache, ...workers, fromFingerprint: true }) }
          : {
              command: "build",
              outDir: options.outDir,
              result: await build({ eventsDir, outDir: options.outDir, tools, ...cache, ...workers }),
            };
    } catch (e) {
      if (run === 1) throw e;
      context.onFrame({ kind: "failed", eventsDir, run, error: e instanceof Error ? e : new Error(String(e)) });
      return;
    }
    const { diagnostics, unevaluated } = outcome.result;
    const unchecked = previous ? notLookedAgain(previous, diagnostics, unevaluated) : [];
    const compared = previous?.filter((d) => !unchecked.includes(d));
    const ms = performance.now() - started;
    context.onFrame({ kind: "run", eventsDir, run, time: new Date(), ms, previous: compared, unchecked, outcome });
    // Carried over until a run looks for them again.
    previous = [...diagnostics, ...unchecked];
  };

  try {
    await watchLoop({
      root,
      run: once,
      signal: context.stopSignal(),
      debounceMs: options.debounceMs,
      // build's own writes, should --out sit inside the tree: the out folder, its temporary siblings.
      ignore: outAbs ? (file) => file === outAbs || file.startsWith(`${outAbs}.`) || file.startsWith(`${outAbs}${path.sep}`) : undefined,
    });
  } catch (e) {
    if (!(e instanceof WatchError)) throw e;
    throw new WatchFailed(`watching ${eventsDir} failed: ${e.message}`, { cause: e });
  }
}

function isShared(segment: string): boolean {
  return segment.startsWith("_");
}
