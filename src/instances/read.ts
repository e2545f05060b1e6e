/**
 * The only I/O of `domain-events validate`: finding and loading events.json, and reading the input
 * files — NDJSON line by line in chunks (never whole, each line decoded and UTF-8 checked on its
 * own), a JSON file whole up to INSTANCE_LIMITS.recordBytes. What is read is handed to a RecordSink
 * (check.ts's InstanceChecker); a file that cannot be read is a ValidateInputError (exit 2).
 */

import { open, readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { isObject } from "../schema/walk.js";
import { INSTANCE_LIMITS, type PublishedEvent, ValidateInputError } from "./types.js";

/**
 * Where the package's own events.json is: next to the running CLI (dist/cli.js → dist/events.json)
 * or, when running from source (src/*.ts), the one `npm run build` writes to build/generated/.
 */
export function defaultEventsJson(moduleUrl: string = import.meta.url): string {
  const fromSource = moduleUrl.endsWith(".ts");
  return fileURLToPath(new URL(fromSource ? "../../build/generated/events.json" : "./events.json", moduleUrl));
}

/** Reads and checks the shape of an events.json: `file`, or the package's own (see defaultEventsJson). */
export async function loadEventsJson(file?: string): Promise<PublishedEvent[]> {
  const where = file ?? defaultEventsJson();
  // A folder or a device (reading /dev/zero would never end) is refused before it is read.
  const info = await stat(where).catch(() => undefined);
  if (info && !info.isFile()) throw new ValidateInputError(`--events-json ${file ?? where} is not a file: name an events.json`);
  let text: string;
  try {
    text = await readFile(where, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e as Error).message;
    if (file !== undefined) throw new ValidateInputError(`cannot read --events-json ${file} (${code})`);
    throw new ValidateInputError(
      `cannot find the package's events.json at ${where} (${code}); run "npm run build" first, or pass --events-json FILE`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ValidateInputError(`${file ?? where} is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(value)) throw new ValidateInputError(`${file ?? where} is not an events.json: it must hold an array of events`);
  return value.map((e, i) => {
    if (!isObject(e) || typeof e.type !== "string" || !isObject(e.schema)) {
      throw new ValidateInputError(`${file ?? where} is not an events.json: entry ${i} lacks a type or a schema`);
    }
    return {
      type: e.type,
      system: typeof e.system === "string" ? e.system : (e.type.split(".")[0] ?? ""),
      topic: typeof e.topic === "string" ? e.topic : "",
      event: typeof e.event === "string" ? e.event : "",
      version: typeof e.version === "number" ? e.version : 1,
      latest: e.latest === true,
      deprecated: e.deprecated === true,
      schema: e.schema,
    };
  });
}

/** What readRecords hands on: each line of an NDJSON file, or the whole text of a JSON file. */
export interface RecordSink {
  /** One line (`index` from 0) of `bytes` bytes; a line above the limit comes as "" with its size. */
  line(text: string, index: number, bytes: number): void;
  /** The whole file, or "" with its size (at least the limit + 1) when it is above the limit. */
  document(text: string, bytes: number): void;
}

/** Bytes read at a time. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads one input file in chunks. NDJSON is cut into lines at the byte 0x0A (which no multi-byte
 * UTF-8 sequence contains) and each line is decoded on its own, so that a byte that is not UTF-8 is
 * reported with its line; a line above the record limit is counted, not held. A JSON file is read
 * up to the record limit and one byte more. Folders and devices are refused (a device such as
 * /dev/zero never ends); a FIFO is read like a file, so `validate <(…)` works.
 */
export async function readRecords(shown: string, full: string, ndjson: boolean, sink: RecordSink): Promise<void> {
  const failed = (e: unknown) => new ValidateInputError(`cannot read ${shown} (${(e as { code?: string }).code ?? (e as Error).message})`);
  const handle = await open(full, "r").catch((e: unknown) => {
    throw failed(e);
  });
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new ValidateInputError(`${shown} is a folder: name the event files in it`);
    if (!info.isFile() && !info.isFIFO()) throw new ValidateInputError(`${shown} is not a file: name a JSON or NDJSON file of events`);
    // A JSON file is parsed whole: one known to be too large is not read at all.
    if (!ndjson && info.isFile() && info.size > INSTANCE_LIMITS.recordBytes) {
      sink.document("", info.size);
      return;
    }
    const reader = new LineReader(shown, ndjson, sink);
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null).catch((e: unknown) => {
        throw failed(e);
      });
      if (bytesRead === 0) break;
      if (!reader.push(buffer.subarray(0, bytesRead))) break;
    }
    reader.end();
  } finally {
    await handle.close();
  }
}

/** Cuts chunks of bytes into lines (or one document), holding at most one record's bytes. */
class LineReader {
  private parts: Buffer[] = [];
  private bytes = 0;
  private index = 0;
  // The BOM is dropped at the start of the file only, as a whole-file decode did.
  private readonly first = new TextDecoder("utf-8", { fatal: true });
  private readonly rest = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

  constructor(
    private readonly shown: string,
    private readonly ndjson: boolean,
    private readonly sink: RecordSink,
  ) {}

  /** Takes one chunk; false when nothing more is needed (a JSON file past the limit). */
  push(chunk: Buffer): boolean {
    if (!this.ndjson) {
      this.hold(chunk);
      return this.bytes <= INSTANCE_LIMITS.recordBytes;
    }
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      this.hold(chunk.subarray(from, nl));
      this.emitLine();
      from = nl + 1;
    }
    this.hold(chunk.subarray(from));
    return true;
  }

  end(): void {
    if (!this.ndjson) {
      const over = this.bytes > INSTANCE_LIMITS.recordBytes;
      // Past the limit the reading stopped: how much more there was is not known.
      this.sink.document(over ? "" : this.decode(Buffer.concat(this.parts), undefined), over ? Number.POSITIVE_INFINITY : this.bytes);
      return;
    }
    // The text after the last newline is a line too, unless there is none.
    if (this.bytes > 0) this.emitLine();
  }

  /** Keeps bytes of the current record while it is within the limit; past it only counts them. */
  private hold(bytes: Buffer): void {
    this.bytes += bytes.length;
    if (this.bytes <= INSTANCE_LIMITS.recordBytes + 1) this.parts.push(bytes);
    else this.parts = [];
  }

  private emitLine(): void {
    const over = this.bytes > INSTANCE_LIMITS.recordBytes;
    const text = over ? "" : this.decode(this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts), this.index);
    this.sink.line(text, this.index, this.bytes);
    this.parts = [];
    this.bytes = 0;
    this.index++;
  }

  /** Decodes one line (`index`) or the whole JSON file (undefined); a bad byte is bad usage, with its line. */
  private decode(bytes: Buffer, index: number | undefined): string {
    try {
      return (index === 0 || index === undefined ? this.first : this.rest).decode(bytes);
    } catch {
      const line = index === undefined ? firstBadLine(bytes) : index + 1;
      throw new ValidateInputError(`${this.shown} is not UTF-8 text: line ${line} holds a byte that is not UTF-8; save the file as UTF-8`);
    }
  }
}

/** The line (from 1) of the first byte that is not UTF-8 in `bytes`, which holds one. */
function firstBadLine(bytes: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  for (let from = 0; from <= bytes.length; line++) {
    const nl = bytes.indexOf(10, from);
    const end = nl === -1 ? bytes.length : nl;
    try {
      decoder.decode(bytes.subarray(from, end));
    } catch {
      return line;
    }
    if (nl === -1) break;
    from = nl + 1;
  }
  return line;
}
