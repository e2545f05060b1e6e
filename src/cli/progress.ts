/**
 * Progress on long work: while check, build or catalog run, one line on stderr says where they
 * are ("domain-events: compiling 350/1017 schemas, 600 from the cache"), rewritten in place and
 * erased before the result is printed. The pipeline reports progress as data
 * (model/progress.ts); this module only draws it, and only for a person at a terminal:
 *
 *   pipeline / compile stage  →  ProgressEvent  →  ProgressLine (throttled)  →  stderr (a TTY)
 *
 * Nothing is drawn when stderr is not a terminal, when the format is json or github (machine
 * output), with --watch (its frames are the output), or on a dumb terminal: CI logs and piped
 * output stay byte for byte what they were. A run shorter than a moment draws nothing either.
 */

import type { ProgressEvent } from "../model/progress.js";

/** Where the line is drawn: a stream with write(), and what a TTY stream says of itself. */
export interface ProgressWriter {
  write(text: string): unknown;
  /** True on a terminal (Node's tty.WriteStream). */
  readonly isTTY?: boolean;
  /** The terminal's width, to keep the line on one row (a wrapped line cannot be rewritten). */
  readonly columns?: number;
}

/** The time, and a timer: the real ones, or a fake in tests. */
export interface ProgressClock {
  /** Milliseconds, from any origin. */
  now(): number;
  /** Calls `fn` after `ms`; returns what cancels it. Must not keep the process alive. */
  later(fn: () => void, ms: number): () => void;
}

/** How long a run goes on before its progress shows, and how often the line may change. */
export interface ProgressTiming {
  /** Nothing is drawn before this many milliseconds (default 300): a short run prints nothing. */
  delayMs: number;
  /** At least this many milliseconds between two drawings (default 100: ten a second at most). */
  intervalMs: number;
}

const DEFAULT_TIMING: ProgressTiming = { delayMs: 300, intervalMs: 100 };

/** Back to the start of the row, and clear to its end. */
const RETURN = "\r";
const CLEAR_TO_END = "\x1b[K";

/** The real clock: performance.now, and an unreferenced setTimeout (a pending redraw never holds up exit). */
export const systemClock: ProgressClock = {
  now: () => performance.now(),
  later: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** What each stage is doing, said as the line says it, and what it counts. */
const STAGES: Record<string, { doing: string; items: string }> = {
  discover: { doing: "reading the events tree", items: "files" },
  parse: { doing: "parsing", items: "files" },
  validate: { doing: "checking", items: "files" },
  versions: { doing: "checking versions of", items: "files" },
  compile: { doing: "compiling", items: "schemas" },
  generate: { doing: "generating", items: "files" },
  emit: { doing: "writing", items: "files" },
  catalog: { doing: "writing the catalog", items: "pages" },
};

/**
 * The text of one progress report, cut to fit in `columns` (a row that wraps cannot be rewritten
 * in place): `domain-events: compiling 350/1017 schemas, 600 from the cache`.
 */
export function progressText(event: ProgressEvent, columns?: number): string {
  const stage = STAGES[event.stage] ?? { doing: event.stage, items: "items" };
  let text = `domain-events: ${stage.doing}`;
  if (event.total !== undefined) {
    const count = event.done === undefined ? `${event.total}` : `${Math.min(event.done, event.total)}/${event.total}`;
    text += ` ${count} ${stage.items}`;
  }
  if (event.cached) text += `, ${event.cached} from the cache`;
  // One column short of the width: writing into the last column wraps on some terminals.
  const fit = columns !== undefined && columns > 1 ? columns - 1 : undefined;
  return fit !== undefined && text.length > fit ? text.slice(0, fit) : text;
}

/**
 * Whether to draw progress at all: only for a person at a terminal who asked for the pretty
 * format, not with --watch (its frames are the output), not on a terminal that cannot clear a
 * line (TERM=dumb).
 */
export function wantsProgress(options: {
  writer: ProgressWriter;
  format: string | undefined;
  watch: boolean;
  env: Record<string, string | undefined>;
}): boolean {
  if (options.writer.isTTY !== true) return false;
  if (options.format !== undefined && options.format !== "pretty") return false;
  if (options.watch) return false;
  return options.env.TERM !== "dumb";
}

/**
 * One progress line on a terminal: `update` keeps the latest report and draws it once the run has
 * lasted `delayMs`, at most once every `intervalMs` (a report between two drawings is drawn when
 * the interval is up, by a timer, so the last state always shows); `above` prints a line of its
 * own above it (the stage timings); `finish` erases it, and draws nothing more after.
 */
export class ProgressLine {
  private readonly started: number;
  private latest: ProgressEvent | undefined;
  /** The text on the row now; undefined when the row is clear. */
  private shown: string | undefined;
  private lastDrawn = Number.NEGATIVE_INFINITY;
  private cancelTimer: (() => void) | undefined;
  private finished = false;

  constructor(
    private readonly writer: ProgressWriter,
    private readonly clock: ProgressClock = systemClock,
    private readonly timing: ProgressTiming = DEFAULT_TIMING,
  ) {
    this.started = clock.now();
  }

  /**
   * Takes a report; draws it now if it is time, else when it is. A timer that is late (the thread
   * was busy: stages run synchronously for seconds) is not waited for: the report that finds the
   * time passed draws itself.
   */
  update(event: ProgressEvent): void {
    if (this.finished) return;
    this.latest = event;
    const due = Math.max(this.started + this.timing.delayMs, this.lastDrawn + this.timing.intervalMs);
    const wait = due - this.clock.now();
    if (wait <= 0) this.draw();
    else this.cancelTimer ??= this.clock.later(() => this.draw(), wait);
  }

  /** Prints `text` (whole lines) where the progress line was; the next report draws the line again. */
  above(text: string): void {
    this.erase();
    this.writer.write(text);
  }

  /** Erases the line for good: the result is printed on a clean row. */
  finish(): void {
    this.finished = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.erase();
  }

  private draw(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.finished || !this.latest) return;
    const text = progressText(this.latest, this.writer.columns);
    this.lastDrawn = this.clock.now();
    if (text === this.shown) return;
    this.writer.write(`${RETURN}${text}${CLEAR_TO_END}`);
    this.shown = text;
  }

  private erase(): void {
    if (this.shown === undefined) return;
    this.writer.write(`${RETURN}${CLEAR_TO_END}`);
    this.shown = undefined;
  }
}
