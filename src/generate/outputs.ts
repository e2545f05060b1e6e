/**
 * The generated files of a build, each either a text or a text made when asked (`defer`): a file
 * that only the cache's code makes (a validator module) is made from it when someone reads it, and
 * not at all when emit can link the file the last build wrote.
 *
 * A deferred file has a key, a hash of everything its text is made from (its compile key, its
 * name, the tools). The store remembers the sha256 of the text each key gave (`remember`, told by
 * emit once it hashed the text), so that the next build knows a deferred file's hash without its
 * text (`hashOf`): when the out folder's manifest holds that very hash under that name, emit links
 * the file and the text is never made. Never stale: another input is another key.
 */

import type { Shape, Store } from "../model/store.js";
import type { Chunk } from "../stages/emit/bytes.js";
import type { KnownHashes } from "../stages/emit/index.js";
import type { PreviousFile } from "./splice.js";

/** A file whose text is made when read. */
interface Deferred extends Splice {
  key: string;
  make(): string;
}

/** How a deferred file may be made from the file the last build wrote under its name (generate/splice.ts). */
export interface Splice {
  /** Its bytes, made from the old file, or undefined when they cannot be (then `make` makes it). */
  splice?(previous: PreviousFile): Chunk[] | undefined;
  /** Its bytes in pieces, every part made as it is asked for (what is written when there is no old file): never joined into one text. */
  whole?(): Iterable<Buffer>;
  /** Told the sha256 of the bytes written, made or spliced. */
  written?(hash: string): void;
}

const isHash: Shape<string> = (value): value is string => typeof value === "string" && /^[0-9a-f]{64}$/.test(value);

/** Generated files by name: a ReadonlyMap of texts to every reader, whose deferred texts are made on each read. */
export class OutputFiles implements ReadonlyMap<string, string>, KnownHashes {
  private readonly files = new Map<string, string | Deferred>();

  /** `hashes`: where the hashes of deferred files' texts are remembered (the build cache), if anywhere. */
  constructor(private readonly hashes?: Store) {}

  set(name: string, text: string): this {
    this.files.set(name, text);
    return this;
  }

  /** A file whose text `make` makes, on each read; `key` must name everything the text is made from. */
  defer(name: string, key: string, make: () => string, splice: Splice = {}): this {
    this.files.set(name, { key, make, ...splice });
    return this;
  }

  get(name: string): string | undefined {
    const file = this.files.get(name);
    return typeof file === "object" ? file.make() : file;
  }

  hashOf(name: string): string | undefined {
    const file = this.files.get(name);
    return typeof file === "object" ? this.hashes?.get([file.key], isHash) : undefined;
  }

  remember(name: string, hash: string): void {
    const file = this.files.get(name);
    if (typeof file !== "object") return;
    if (this.hashOf(name) !== hash) this.hashes?.set([file.key], hash);
    file.written?.(hash);
  }

  splice(name: string, previous: PreviousFile): Chunk[] | undefined {
    const file = this.files.get(name);
    return typeof file === "object" ? file.splice?.(previous) : undefined;
  }

  whole(name: string): Iterable<Buffer> | undefined {
    const file = this.files.get(name);
    return typeof file === "object" ? file.whole?.() : undefined;
  }

  /** Makes every deferred text now: for a caller that keeps the files (a build without an out folder). */
  materialise(): this {
    for (const [name, file] of this.files) if (typeof file === "object") this.files.set(name, file.make());
    return this;
  }

  has(name: string): boolean {
    return this.files.has(name);
  }

  get size(): number {
    return this.files.size;
  }

  keys(): MapIterator<string> {
    return this.files.keys();
  }

  *entries(): MapIterator<[string, string]> {
    for (const name of this.files.keys()) yield [name, this.get(name) as string];
  }

  *values(): MapIterator<string> {
    for (const name of this.files.keys()) yield this.get(name) as string;
  }

  [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }

  forEach(fn: (text: string, name: string, map: ReadonlyMap<string, string>) => void): void {
    for (const [name, text] of this.entries()) fn(text, name, this);
  }
}
