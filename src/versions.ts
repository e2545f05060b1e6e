/**
 * versions: names and version chains (DESIGN §1–2). Checks every name against kebab-case, parses
 * the version suffix, finds gaps and flat-list name collisions, and gives each event version its
 * identity: type, TypeScript name, and whether it is the latest.
 */

import { cmp, type Diagnostic, diagnostic, START_OF_FILE, type StageResult } from "./diagnostics.js";
import type { EventVersion, ParsedFile, SourceFile } from "./model.js";
import type { ValidSchema } from "./validate.js";

/** The name rule for systems, topics and events. */
export const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A parsed event file name. */
export type ParsedStem =
  | { ok: true; event: string; version: number }
  | { ok: false; code: "LAYOUT_NAME" | "VERSION_EXPLICIT_V1" | "VERSION_BAD_NUMBER"; message: string; hint: string };

/** Parses `invoice-issued.v2` into its event name and version. */
export function parseStem(stem: string): ParsedStem {
  const m = /^(.*?)(?:\.v([0-9]+))?$/.exec(stem) as RegExpExecArray;
  const event = m[1] as string;
  const digits = m[2];
  if (!NAME.test(event)) {
    return {
      ok: false,
      code: "LAYOUT_NAME",
      message: `"${event}" is not a kebab-case event name`,
      hint: `rename the file to ${kebab(event) || "my-event"}${digits ? `.v${digits}` : ""}.json`,
    };
  }
  if (digits === undefined) return { ok: true, event, version: 1 };
  if (digits === "1")
    return { ok: false, code: "VERSION_EXPLICIT_V1", message: "version 1 has no .v1 suffix", hint: `rename it to ${event}.json` };
  if (digits === "0" || digits.startsWith("0")) {
    return {
      ok: false,
      code: "VERSION_BAD_NUMBER",
      message: `".v${digits}" is not a version suffix`,
      hint:
        Number(digits) === 0
          ? `version 1 is ${event}.json: rename it to that (or to ${event}.v2.json, .v3 … if it is a later version)`
          : `rename it to ${event}.v${Number(digits)}.json (versions are .v2, .v3 … without leading zeros)`,
    };
  }
  return { ok: true, event, version: Number(digits) };
}

/** PascalCase of a kebab-case name: `invoice-issued` → `InvoiceIssued`. */
export function pascal(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
}

/**
 * Builds the event versions. `files` are all discovered files (names are checked even where a
 * schema failed); `schemas` are those that passed validate. Only events whose whole chain is
 * sound come out.
 */
export function versions(files: readonly SourceFile[], schemas: ReadonlyMap<string, ValidSchema>): StageResult<EventVersion[]> {
  const diagnostics: Diagnostic[] = [];
  const chains = new Map<string, { version: number; source: SourceFile }[]>();
  const badChains = new Set<string>();
  const badFolders = new Set<string>();
  /** Events that have an <event>.v1.json: their version 2 then lacks a version 1 for that reason. */
  const explicitV1 = new Set<string>();

  for (const source of files) {
    const { kind } = source;
    if (kind.kind === "shared") {
      // Shared names become type names (`_shared/money.json` → Money): the same rule holds.
      const parts = source.rel.replace(/\.json$/, "").split("/");
      const bad = parts.slice(parts.findIndex((p) => p.startsWith("_")) + 1).find((p) => !NAME.test(p));
      if (bad !== undefined) {
        diagnostics.push(
          diagnostic("error", "LAYOUT_NAME", source.file, "", `"${bad}" is not a kebab-case name`, {
            hint: `rename it to ${kebab(bad) || "my-name"} (lowercase letters, digits and single hyphens)`,
            locate: START_OF_FILE,
          }),
        );
      }
      continue;
    }
    const folders = kind.kind === "event" ? [kind.system, kind.topic] : [kind.system];
    for (const [i, name] of folders.entries()) {
      const folder = folders.slice(0, i + 1).join("/");
      if (NAME.test(name) || badFolders.has(folder)) continue;
      badFolders.add(folder);
      diagnostics.push(
        diagnostic("error", "LAYOUT_NAME", source.file, "", `the ${i === 0 ? "system" : "topic"} folder "${name}" is not kebab-case`, {
          hint: `rename the folder to ${kebab(name) || "my-name"} (lowercase letters, digits and single hyphens)`,
          locate: START_OF_FILE,
        }),
      );
    }
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
    if (badChains.has(key) || badFolders.has(system) || badFolders.has(`${system}/${topic}`)) continue;
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

function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "");
}
