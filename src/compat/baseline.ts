/**
 * The release baseline: the events.json of a previous release, read from a file, from a packed
 * .tgz of this package, or from the registry (`name@version`, through `npm pack`). Reading is the
 * only thing here; comparing is in release-diff.ts.
 */

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import type { EventEntry } from "../model/events-json.js";
import { UserError } from "../model/user-error.js";

/** Where the baseline came from, and what it holds. */
export interface Baseline {
  /** The spec as given (a path, or name@version). */
  source: string;
  entries: EventEntry[];
}

/** A baseline that could not be read: a usage problem, not a finding in the events. */
export class BaselineError extends UserError {}

/**
 * The baseline an events folder has by convention: `baseline/events.json` beside it (where
 * `npm run release` records each release), or undefined when there is none.
 */
export async function baselineBeside(eventsDir: string, cwd = process.cwd()): Promise<string | undefined> {
  const file = path.join(path.resolve(cwd, eventsDir), "..", "baseline", "events.json");
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() ? path.relative(cwd, file) : undefined;
}

/** Reads a baseline: `*.json` (an events.json), `*.tgz` (a packed package), or `name@version`. */
export async function loadBaseline(spec: string, cwd = process.cwd()): Promise<Baseline> {
  if (spec.endsWith(".json")) return { source: spec, entries: parseEntries(await readText(path.resolve(cwd, spec)), spec) };
  if (spec.endsWith(".tgz") || spec.endsWith(".tar.gz"))
    return { source: spec, entries: fromTarball(await readBytes(path.resolve(cwd, spec)), spec) };
  return { source: spec, entries: fromTarball(await npmPack(spec, cwd), spec) };
}

/** The events.json inside a packed package (`package/dist/events.json`). */
export function fromTarball(tgz: Uint8Array, spec: string): EventEntry[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz);
  } catch {
    throw new BaselineError(`${spec} is not a gzip-compressed tarball`);
  }
  const file = tarEntry(tar, "package/dist/events.json");
  if (!file) throw new BaselineError(`${spec} holds no package/dist/events.json: is it a packed domain-events package?`);
  return parseEntries(file.toString("utf8"), `${spec}#package/dist/events.json`);
}

/** Finds one file in an (uncompressed, ustar) tar archive. */
function tarEntry(tar: Buffer, wanted: string): Buffer | undefined {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return undefined;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const body = offset + 512;
    if (name === wanted && (field(156, 1) === "0" || field(156, 1) === "")) return tar.subarray(body, body + size);
    offset = body + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

function parseEntries(text: string, where: string): EventEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${where} is not JSON (${(e as Error).message})`);
  }
  if (
    !Array.isArray(value) ||
    !value.every((e) => typeof e === "object" && e !== null && typeof e.type === "string" && typeof e.schema === "object")
  ) {
    throw new BaselineError(`${where} is not an events.json (an array of { type, schema, … })`);
  }
  return value as EventEntry[];
}

async function readText(file: string): Promise<string> {
  return (await readBytes(file)).toString("utf8");
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    throw new BaselineError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

/** Fetches a published version with `npm pack` from the configured registry. */
async function npmPack(spec: string, cwd: string): Promise<Buffer> {
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(@[\w.^~<>=*|-]+)?$/i.test(spec)) {
    throw new BaselineError(`${spec} is neither an events.json, a .tgz, nor a package spec such as domain-events@1.2.0`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), "domain-events-baseline-"));
  try {
    const { stdout } = await promisify(execFile)("npm", ["pack", spec, "--json", "--pack-destination", dir], {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    if (!packed) throw new BaselineError(`npm pack ${spec} packed nothing`);
    return await readFile(path.join(dir, packed.filename));
  } catch (e) {
    if (e instanceof BaselineError) throw e;
    const stderr = String((e as { stderr?: string }).stderr ?? (e as Error).message)
      .trim()
      .split("\n")
      .slice(-1)[0];
    throw new BaselineError(`npm pack ${spec} failed: ${stderr}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
