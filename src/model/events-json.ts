/**
 * The contract of `events.json`: one entry per event version, the flat list as data. Made by the
 * generate stage, read by the version chain, the baseline and the release diff, the instance
 * validator, the catalog and AsyncAPI; so it lives here, in the model, and no reader imports a
 * stage for its type.
 */

/** How a version relates to the one before it (the version chain, under the STRICT policy). */
export type ChainVerdict = "backward" | "forward" | "full" | "none";

/** The entry of events.json for one event version. */
export interface EventEntry {
  type: string;
  system: string;
  topic: string;
  event: string;
  version: number;
  latest: boolean;
  deprecated: boolean;
  typeName: string;
  title: string;
  description: string;
  /** For versions 2 and up: how this version relates to the previous one. */
  compatibility?: { previous: ChainVerdict };
  schema: Record<string, unknown>;
}

/** Verdicts kept between runs (the build cache), by the pair of data schemas compared. */
/**
 * The verdict of a version step remembered by the bytes of its two files (and of what they refer
 * to): a run whose steps are all remembered needs neither the bundled schemas nor the engine.
 */
export interface StepMemo {
  get(previousRel: string, nextRel: string): ChainVerdict | undefined;
  set(previousRel: string, nextRel: string, verdict: ChainVerdict): void;
}

/** The verdict of two data schemas remembered by their content: the one kept, else `make`'s, then kept. */
export interface ChainMemo {
  verdict(previous: Record<string, unknown>, next: Record<string, unknown>, make: () => ChainVerdict): ChainVerdict;
}
