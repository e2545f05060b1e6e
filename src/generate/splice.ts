/**
 * Files made of pieces (events.json, asyncapi.json): literal text, and members that each depend on
 * one thing the build keys (an event's entry, a definition), labelled by that key. A build that
 * wrote such a file keeps its layout, each piece's label and length in bytes, under the hash of the
 * bytes written. The next build, whose out folder still holds those very bytes, splices its new
 * file from them: a member whose label is unchanged is copied from the old bytes, only the others
 * are made. The cache's copies of the members are then not read at all: after one edit, the old
 * file and the edited member are all a large events.json is made from.
 *
 * Verified, never trusted: the layout is the one kept under the hash the manifest records for the
 * old file, the old file's bytes are those of that hash (read again and hashed, unless its size,
 * time and inode are still those recorded when it was written: emit's trust, stages/emit/trust.ts),
 * and the layout's lengths must add up to the file's; anything else, and the file is made from the
 * members as it would be without. The old members are not read here: they are ranges of the old
 * file that emit copies (stages/emit/bytes.ts writeChunks), refusing a file whose stat moved since.
 */

import type { Shape, Store } from "../model/store.js";
import { type Chunk, checkedSource, chunkLength, type FileRange } from "../stages/emit/bytes.js";

/**
 * A piece of a file: literal text, or a member labelled by what it is made from, taken from the old
 * file when it has that label (never when `fresh`: a member whose label stays while its text
 * changes, such as a definition that an edited event bundles), else made.
 */
export type Piece = string | { label: string; make(): string; fresh?: boolean };

/** Each piece's label ("" for literal text) and length in bytes, in order; and what a file needs besides. */
export interface Layout {
  pieces: [string, number][];
  /** Anything else the file's maker keeps of it (asyncapi.json: each event's definitions). */
  extra?: unknown;
}

const isLayout: Shape<Layout> = (v): v is Layout =>
  typeof v === "object" &&
  v !== null &&
  Array.isArray((v as Layout).pieces) &&
  (v as Layout).pieces.every(
    (p) => Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && Number.isSafeInteger(p[1]) && p[1] >= 0,
  );

/**
 * The old file a splice reads: its path, the sha256 the out folder's manifest records for it, and
 * whether its stat is still the one recorded when it was written (stages/emit/trust.ts: then its
 * bytes are the manifest's, the same trust as a linked file's).
 */
export interface PreviousFile {
  file: string;
  hash: string;
  unchanged?(): boolean;
}

/** Where each labelled piece is in the old file, when its layout is known and holds. */
export interface OldPieces {
  ranges: Map<string, FileRange>;
  extra: unknown;
}

/**
 * A file made of pieces, with its layout kept in `layouts` (the build cache) once written: `text`
 * makes it whole, `bytes` splices it from the old file when it can. `pieces` is given the old
 * file's pieces when there are any (asyncapi.json's order depends on what its members hold).
 */
export class SplicedFile {
  private pending: Layout | undefined;

  constructor(
    private readonly name: string,
    private readonly layouts: Store | undefined,
    private readonly pieces: (old: OldPieces | undefined) => { pieces: Piece[]; extra?: unknown } | undefined,
  ) {}

  /** The whole text, every member made. */
  text(): string {
    return Buffer.concat([...this.wholeBytes()]).toString("utf8");
  }

  /**
   * The whole file's bytes, every member made, piece by piece as they are asked for: emit writes
   * each as it comes (stages/emit/bytes.ts writeChunks), so that neither the whole text nor all
   * of its bytes are ever held (at 5,000 events the two files are 154 MB: held, a third of a cold
   * build's peak memory, and the collector's work through the whole of emit). The layout is
   * kept once the last piece has been made.
   */
  *wholeBytes(): Generator<Buffer, void, undefined> {
    const made = this.pieces(undefined);
    if (!made) throw new Error(`${this.name} could not be made`);
    const lengths: [string, number][] = [];
    for (const p of made.pieces) {
      const bytes = Buffer.from(typeof p === "string" ? p : p.make());
      lengths.push([label(p), bytes.length]);
      yield bytes;
    }
    this.pending = { pieces: lengths, extra: made.extra };
  }

  /**
   * The file spliced from the old one, in pieces (most of them ranges of the old file, which emit
   * copies), or undefined when its layout is unknown or does not hold.
   */
  bytes(previous: PreviousFile): Chunk[] | undefined {
    const old = this.old(previous);
    if (!old) return undefined;
    const made = this.pieces(old);
    if (!made) return undefined;
    return this.laidOut(
      made,
      made.pieces.map((p) => {
        if (typeof p === "string") return Buffer.from(p);
        return (p.fresh ? undefined : old.ranges.get(p.label)) ?? Buffer.from(p.make());
      }),
    );
  }

  /** The file's pieces, their layout kept until `written` says under which hash. */
  private laidOut(made: { pieces: Piece[]; extra?: unknown }, chunks: Chunk[]): Chunk[] {
    this.pending = { pieces: made.pieces.map((p, i) => [label(p), chunkLength(chunks[i] as Chunk)]), extra: made.extra };
    return chunks;
  }

  /** Keeps the layout of what was written, under the hash of its bytes. */
  written(hash: string): void {
    if (this.pending) this.layouts?.set([this.name, hash], this.pending);
  }

  private old(previous: PreviousFile): OldPieces | undefined {
    const layout = this.layouts?.get([this.name, previous.hash], isLayout);
    if (!layout) return undefined;
    // The bytes the manifest (and so the layout) describes, not what someone wrote since: read
    // again and hashed unless its stat is still the one recorded when it was written.
    // The stat first, then the trust: a file changed in between no longer has the recorded stat,
    // and one changed after has another stat than this when emit copies from it.
    const seen = checkedSource(previous.file);
    const stat = seen && previous.unchanged?.() ? seen : checkedSource(previous.file, previous.hash);
    if (!stat) return undefined;
    const ranges = new Map<string, FileRange>();
    let at = 0;
    for (const [name, length] of layout.pieces) {
      if (name !== "" && !ranges.has(name)) ranges.set(name, { file: previous.file, start: at, end: at + length, stat });
      at += length;
    }
    return at === stat[0] ? { ranges, extra: layout.extra } : undefined;
  }
}

function label(piece: Piece): string {
  return typeof piece === "string" ? "" : piece.label;
}
