/**
 * Progress of a long run, as data: where the pipeline is (the stage) and, where the stage knows
 * them, how many of its items are done, of how many, and how many came from the build cache. The
 * pipeline (pipeline.ts) and the compile stage (compile/index.ts) report it; only the CLI
 * (cli/progress.ts) shows it, as one line on a terminal. A contract of the model because the
 * stages below and the CLI above both speak it.
 */

/** One report: the stage now under way, with its counts when it has them. */
export interface ProgressEvent {
  /** The stage's name, as the pipeline's stage timings name it: discover, parse, compile, emit … */
  readonly stage: string;
  /** Items of the stage done so far (files, schemas), counting those from the cache. */
  readonly done?: number;
  /** Items the stage has in all. */
  readonly total?: number;
  /** Of `done`, how many the build cache answered. */
  readonly cached?: number;
}

/** Told each progress report as it happens; it must be cheap (the caller does not wait for it). */
export type ProgressListener = (event: ProgressEvent) => void;
