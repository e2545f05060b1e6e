/**
 * versions: version chains (DESIGN §1–2). Parses the version suffix, finds gaps and flat-list name
 * collisions, and gives each event version its identity: type, TypeScript name, and whether it is
 * the latest. The names themselves were checked by discover (names.ts) before any file was read.
 */

import { cmp, type Diagnostic, diagnostic, START_OF_FILE, type StageResult } from "../diagnostics/index.js";
import { parseStem, pascal } from "../model/names.js";
import type { EventVersion, ParsedFile, SourceFile } from "../model/tree.js";
import type { ValidSchema } from "./validate.js";

export { type ParsedStem, parseStem, pascal } from "../model/names.js";

/**
 * Builds the event versions. `files` are all discovered files (names are checked even where a
 * schema failed); `schemas` are those that passed validate. Only events whose whole chain is
 * sound come out.
 */
export function versions(files: readonly SourceFile[], schemas: ReadonlyMap<string, ValidSchema>): StageResult<EventVersion[]> {
  const diagnostics: Diagnostic[] = [];
  const chains = new Map<string, { version: number; source: SourceFile }[]>();
  const badChains = new Set<string>();
  /** Events that have an <event>.v1.json: their version 2 then lacks a version 1 for that reason. */
  const explicitV1 = new Set<string>();

  // Names were checked by discover (names.ts): a file with a bad name never gets this far.
  for (const source of files) {
    const { kind } = source;
    if (kind.kind !== "event") continue;
    const parsed = parseStem(kind.stem);
    if (!parsed.ok) {
      if (parsed.code === "VERSION_EXPLICIT_V1") explicitV1.add(`${kind.system}/${kind.topic}/${kind.stem.slice(0, -".v1".length)}`);
      diagnostics.push(diagnostic("error", parsed.code, source.file, "", parsed.message, { hint: parsed.hint, locate: START_OF_FILE }));
      continue;
    }
    const key = `${kind.system}/${kind.topic}/${parsed.event}`;
    const chain = chains.get(key) ?? [];
    chain.push({ version: parsed.version, source });
    chains.set(key, chain);
  }

  const out: EventVersion[] = [];
  const byComponents = ([a]: [string, unknown], [b]: [string, unknown]) => {
    const x = a.split("/");
    const y = b.split("/");
    return cmp(x[0]!, y[0]!) || cmp(x[1]!, y[1]!) || cmp(x[2]!, y[2]!);
  };
  for (const [key, chain] of [...chains].sort(byComponents)) {
    chain.sort((a, b) => a.version - b.version);
    const [system, topic, event] = key.split("/") as [string, string, string];
    const present = new Set(chain.map((c) => c.version));
    const fileName = (v: number) => `${event}${v === 1 ? "" : `.v${v}`}.json`;
    for (const [i, { version, source }] of chain.entries()) {
      if (version > 1 && !present.has(version - 1)) {
        const prev = version - 1;
        // Renumbered without gaps, the chain's i-th file is version i + 1: rename this one and those up to the next gap.
        const renames: string[] = [];
        for (let j = i + 1; j < chain.length && present.has(chain[j]!.version - 1); j++) {
          renames.push(`${fileName(chain[j]!.version)} to ${fileName(j + 1)}`);
        }
        const hint =
          prev === 1 && explicitV1.has(key)
            ? `rename ${event}.v1.json to ${event}.json: version 1 has no suffix`
            : `rename it to ${fileName(i + 1)}${renames.length > 0 ? ` and ${renames.join(", ")}` : ""}, or add the missing version ${prev}`;
        diagnostics.push(
          diagnostic("error", "VERSION_GAP", source.file, "", `version ${version} exists but version ${prev} does not`, {
            hint,
            locate: START_OF_FILE,
          }),
        );
        badChains.add(key);
      }
    }
    if (badChains.has(key)) continue;
    const latest = chain[chain.length - 1]!.version;
    for (const { version, source } of chain) {
      const schema = schemas.get(source.rel);
      if (!schema) continue;
      const file = schema.file as ParsedFile;
      out.push({
        source: file,
        system,
        topic,
        event,
        version,
        type: `${system}.${topic}.${event}.v${version}`,
        typeName: pascal(event) + (version >= 2 ? `V${version}` : ""),
        latest: version === latest,
        deprecated: file.json.deprecated === true,
        dialect: schema.dialect,
      });
    }
  }

  // The flat list: one TypeScript name, one event.
  const byName = new Map<string, EventVersion>();
  const collided = new Set<EventVersion>();
  for (const ev of out) {
    const first = byName.get(ev.typeName);
    if (!first) {
      byName.set(ev.typeName, ev);
      continue;
    }
    collided.add(first).add(ev);
    diagnostics.push(
      diagnostic(
        "error",
        "VERSION_NAME_COLLISION",
        ev.source.file,
        "",
        `the TypeScript name ${ev.typeName} is taken by ${first.source.file}`,
        {
          hint: `rename this event (all its versions), e.g. ${ev.source.rel.split("/").at(-1)} → ${ev.system}-${ev.source.rel.split("/").at(-1)} (type ${pascal(`${ev.system}-${ev.event}`)}), or the other one: the package exports one flat list`,
          locate: START_OF_FILE,
          related: { file: first.source.file, pointer: "", line: 1, column: 1 },
        },
      ),
    );
  }
  return { value: out.filter((e) => !collided.has(e)), diagnostics };
}
