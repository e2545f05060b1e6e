/**
 * A schema file made self-contained for `domain-events compat`: the files it refers to by relative
 * path (`../../_shared/money.json#/$defs/x`) are read and placed under `$defs`, and the references
 * rewritten to point there. Remote references are refused; nothing is fetched.
 */

import { open } from "node:fs/promises";
import path from "node:path";
import { joinPointer, splitPointer } from "../diagnostics/index.js";
import { UserError } from "../model/user-error.js";
import { parseJson } from "../schema/json.js";
import { LIMITS } from "../schema/limits.js";
import { resolveRef } from "../schema/refs.js";
import { isObject, mapSchema, walkSchema } from "../schema/walk.js";

/** A schema that could not be read or bundled: a usage problem. */
export class SchemaFileError extends UserError {}

/** At most this many files are pulled in through references. */
const MAX_FILES = 500;

/** Reads `file` and every file it refers to, and returns one self-contained schema. */
export async function loadStandalone(file: string): Promise<Record<string, unknown>> {
  const main = path.resolve(file);
  const docs = new Map<string, Record<string, unknown>>();
  const queue = [main];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (docs.has(next)) continue;
    if (docs.size >= MAX_FILES) throw new SchemaFileError(`${file} refers to more than ${MAX_FILES} files`);
    const json = await readSchema(next, next === main ? file : path.relative(process.cwd(), next));
    docs.set(next, json);
    walkSchema(json, ({ schema }) => {
      const ref = schema.$ref;
      if (typeof ref !== "string") return;
      const target = resolveRef("x.json", ref);
      if (target.kind === "remote")
        throw new SchemaFileError(`${path.relative(process.cwd(), next)}: "${ref}" is remote; only relative references are read`);
      if (target.kind === "file" || target.kind === "outside") queue.push(path.resolve(path.dirname(next), ref.split("#")[0] as string));
    });
  }
  const keys = new Map([...docs.keys()].map((abs, i) => [abs, i === 0 ? "" : `__file${i}`]));
  const rewrite = (abs: string, schema: unknown) =>
    mapSchema(schema, (s) => {
      if (typeof s.$ref !== "string") return s;
      const [target, fragment = ""] = s.$ref.split("#") as [string, string?];
      const owner = target === "" ? abs : path.resolve(path.dirname(abs), target);
      const key = keys.get(owner);
      const pointer = decodeFragment(fragment, s.$ref, path.relative(process.cwd(), abs) || abs);
      const base = key === "" || key === undefined ? "" : joinPointer("/$defs", key);
      return { ...s, $ref: `#${base}${joinPointer("", ...splitPointer(pointer))}` };
    }) as Record<string, unknown>;
  const [mainJson] = docs.values();
  const out = rewrite(main, mainJson) as Record<string, unknown>;
  const defs: Record<string, unknown> = isObject(out.$defs) ? { ...out.$defs } : {};
  for (const [abs, key] of keys) {
    if (key === "") continue;
    const { $schema: _s, $id: _i, ...rest } = rewrite(abs, docs.get(abs));
    defs[key] = rest;
  }
  if (Object.keys(defs).length > 0) out.$defs = defs;
  return out;
}

/**
 * The JSON pointer of a `$ref`'s fragment, percent-decoded. A malformed escape ("#/%", "#/%zz") is
 * the schema's mistake, said as such: decodeURIComponent's URIError would read as a bug of ours.
 */
function decodeFragment(fragment: string, ref: string, shown: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    throw new SchemaFileError(
      `${shown}: the "$ref" ${JSON.stringify(ref.slice(0, 200))} has a malformed %-escape; write "%" as "%25", or use a plain JSON pointer such as "#/$defs/name"`,
    );
  }
}

async function readSchema(abs: string, shown: string): Promise<Record<string, unknown>> {
  const text = (await readBounded(abs, shown)).toString("utf8");
  const parsed = parseJson(text, { maxDepth: LIMITS.depth, maxMembers: LIMITS.members });
  if (parsed.error) throw new SchemaFileError(`${shown}:${parsed.error.at.line}:${parsed.error.at.column}: ${parsed.error.message}`);
  if (!isObject(parsed.value) && typeof parsed.value !== "boolean")
    throw new SchemaFileError(`${shown} is not a JSON Schema (an object or a boolean)`);
  return isObject(parsed.value) ? parsed.value : parsed.value ? {} : { not: {} };
}

/**
 * The bytes of a schema file, read with a bound: at most the size limit and one byte more, so that
 * an endless input (a device such as /dev/zero, a FIFO) can never hang the command. Only regular
 * files are read; a folder or a device is refused with what to name instead.
 */
async function readBounded(abs: string, shown: string): Promise<Buffer> {
  const failed = (e: unknown) => new SchemaFileError(`cannot read ${shown} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  const handle = await open(abs, "r").catch((e: unknown) => {
    throw failed(e);
  });
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new SchemaFileError(`${shown} is a folder: name a schema file (.json)`);
    if (!info.isFile()) throw new SchemaFileError(`${shown} is not a regular file: name a schema file (.json)`);
    const tooLarge = () => new SchemaFileError(`${shown} is larger than ${LIMITS.fileBytes / 1024} KiB`);
    if (info.size > LIMITS.fileBytes) throw tooLarge();
    // The file may grow after fstat: the read is bounded all the same.
    const buffer = Buffer.alloc(LIMITS.fileBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null).catch((e: unknown) => {
        throw failed(e);
      });
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > LIMITS.fileBytes) throw tooLarge();
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
