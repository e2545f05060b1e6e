/**
 * A store of results across runs, keyed by content: what a stage remembers so that an edit costs
 * the edited file (DESIGN.md §6). A stage is given a Store and knows nothing of where it lives;
 * compile/memo.ts keys it by the versions of the tools that decide the answer and keeps it in the
 * build cache's pack (compile/cache.ts). Without a cache folder a stage is given none and works
 * everything out.
 *
 * The parts of a key must name everything the value depends on: the content hashes of the files
 * it was made from (and of the files they refer to), never a path alone. A value is JSON; a
 * reader passes the shape it expects, and a value of another shape reads as absent.
 */

/** A guard a reader passes: true when the value has the shape the reader expects. */
export type Shape<T> = (value: unknown) => value is T;

export interface Store {
  /** The value remembered under these parts, when there and of the shape; else undefined. */
  get<T>(parts: readonly unknown[], shape: Shape<T>): T | undefined;
  /** Remembers a JSON value under these parts (never updated: other content, other parts). */
  set(parts: readonly unknown[], value: unknown): void;
}
