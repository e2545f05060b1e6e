/**
 * versions: version chains (DESIGN §1–2). Parses the version suffix, finds gaps and flat-list name
 * collisions, and gives each event version its identity: type, TypeScript name, and whether it is
 * the latest. The names themselves were checked by discover (names.ts) before any file was read.
 *
 * Each rule is one entry `{ code, check }` for one code of the registry (src/diagnostics/codes.ts),
 * given a `report` bound to its code, in the schema stage's model (stages/validate/rule.ts). The
 * stage runs them in three steps, each over what the step before built:
 *
 *   suffixes   every event file's version suffix      VERSION_EXPLICIT_V1, VERSION_BAD_NUMBER
 *   chains     the files of one event, by version      VERSION_GAP (a chain with a gap is dropped)
 *   flat list  the event versions of sound chains      VERSION_NAME_COLLISION (both events dropped)
 */

import { type Code, cmp, type Diagnostic, diagnostic, type Location, START_OF_FILE, type StageResult } from "../diagnostics/index.js";
import { type ParsedStem, parseStem, pascal } from "../model/names.js";
import type { EventVersion, ParsedFile, SourceFile } from "../model/tree.js";
import { SIGNED } from "../schema/walk.js";
import type { ValidSchema } from "./validate/index.js";

export { type ParsedStem, parseStem, pascal } from "../model/names.js";

/** Reports one finding of the rule's own code about a whole file (findings point at its start). */
export type VersionReport = (file: string, message: string, hint: string, related?: Location) => void;

/** A rule of the versions stage over what one step built. */
export interface VersionRule<Input> {
  code: Code;
  check(input: Input, report: VersionReport): void;
}

/** An event file and what its name's version suffix says. */
interface Suffix {
  source: SourceFile;
  parsed: ParsedStem;
}

/** The files of one event (`<system>/<topic>/<event>`), sorted by version. */
interface Chain {
  system: string;
  topic: string;
  event: string;
  links: { version: number; source: SourceFile }[];
  /** The event also has an <event>.v1.json: its version 2 then lacks a version 1 for that reason. */
  explicitV1: boolean;
}

/** The suffix rule of one code: parseStem decides, the rule reports the files it refuses with that code. */
function suffixRule(code: "VERSION_EXPLICIT_V1" | "VERSION_BAD_NUMBER"): VersionRule<readonly Suffix[]> {
  return {
    code,
    check(suffixes, report) {
      for (const { source, parsed } of suffixes) {
        if (!parsed.ok && parsed.code === code) report(source.file, parsed.message, parsed.hint);
      }
    },
  };
}

/** VERSION_EXPLICIT_V1: version 1 is <event>.json, never <event>.v1.json. */
export const explicitV1 = suffixRule("VERSION_EXPLICIT_V1");

/** VERSION_BAD_NUMBER: a suffix is .v2, .v3 … with no leading zero and no .v0. */
export const badNumber = suffixRule("VERSION_BAD_NUMBER");

/** VERSION_GAP: the versions of an event run 1, 2, 3 … without gaps. */
export const gap: VersionRule<Chain> = {
  code: "VERSION_GAP",
  check({ event, links, explicitV1: hasV1File }, report) {
    const present = new Set(links.map((c) => c.version));
    const fileName = (v: number) => `${event}${v === 1 ? "" : `.v${v}`}.json`;
    for (const [i, { version, source }] of links.entries()) {
      if (version === 1 || present.has(version - 1)) continue;
      const prev = version - 1;
      // Renumbered without gaps, the chain's i-th file is version i + 1: rename this one and those up to the next gap.
      const renames: string[] = [];
      for (let j = i + 1; j < links.length && present.has(links[j]!.version - 1); j++) {
        renames.push(`${fileName(links[j]!.version)} to ${fileName(j + 1)}`);
      }
      const hint =
        prev === 1 && hasV1File
          ? `rename ${event}.v1.json to ${event}.json: version 1 has no suffix`
          : `rename it to ${fileName(i + 1)}${renames.length > 0 ? ` and ${renames.join(", ")}` : ""}, or add the missing version ${prev}`;
      report(source.file, `version ${version} exists but version ${prev} does not`, hint);
    }
  },
};

/** VERSION_NAME_COLLISION: one TypeScript name, one event, in the flat list. */
export const nameCollision: VersionRule<readonly EventVersion[]> = {
  code: "VERSION_NAME_COLLISION",
  check(list, report) {
    const byName = new Map<string, EventVersion>();
    for (const ev of list) {
      const first = byName.get(ev.typeName);
      if (!first) {
        byName.set(ev.typeName, ev);
        continue;
      }
      const name = ev.source.rel.split("/").at(-1);
      report(
        ev.source.file,
        `the TypeScript name ${ev.typeName} is taken by ${first.source.file}`,
        `rename this event (all its versions), e.g. ${name} → ${ev.system}-${name} (type ${pascal(`${ev.system}-${ev.event}`)}), or the other one: the package exports one flat list`,
        { file: first.source.file, pointer: "", line: 1, column: 1 },
      );
    }
  },
};

/** Every rule of the versions stage, one entry per code, in the order the stage runs them. */
export const RULES = [explicitV1, badNumber, gap, nameCollision] as const;

/** For tests (test/rules.test.ts): told, for every finding, the code of the rule entry that made it. */
export type RuleTrace = (rule: Code, finding: Diagnostic) => void;

/**
 * Builds the event versions. `files` are all discovered files (names are checked even where a
 * schema failed); `schemas` are those that passed validate. Only events whose whole chain is
 * sound come out.
 */
export function versions(
  files: readonly SourceFile[],
  schemas: ReadonlyMap<string, ValidSchema>,
  trace?: RuleTrace,
): StageResult<EventVersion[]> {
  const diagnostics: Diagnostic[] = [];
  /** Runs one rule; returns the files it reported (and the files its findings name as related). */
  const run = <Input>(rule: VersionRule<Input>, input: Input): Set<string> => {
    const named = new Set<string>();
    rule.check(input, (file, message, hint, related) => {
      const d = diagnostic(rule.code, file, "", message, { hint, locate: START_OF_FILE, related });
      diagnostics.push(d);
      trace?.(rule.code, d);
      named.add(file);
      if (related) named.add(related.file);
    });
    return named;
  };

  const suffixes = suffixesOf(files);
  run(explicitV1, suffixes);
  run(badNumber, suffixes);
  const out: EventVersion[] = [];
  for (const chain of chainsOf(suffixes)) {
    if (run(gap, chain).size > 0) continue;
    out.push(...versionsOf(chain, schemas));
  }
  const collided = run(nameCollision, out);
  return { value: out.filter((e) => !collided.has(e.source.file)), diagnostics };
}

/** Every event file with its parsed suffix. Names were checked by discover (names.ts): a bad one never gets this far. */
function suffixesOf(files: readonly SourceFile[]): Suffix[] {
  const out: Suffix[] = [];
  for (const source of files) {
    if (source.kind.kind === "event") out.push({ source, parsed: parseStem(source.kind.stem) });
  }
  return out;
}

/** The chains of the files whose suffix is sound, sorted by system, topic and event. */
function chainsOf(suffixes: readonly Suffix[]): Chain[] {
  const chains = new Map<string, Chain>();
  const withV1File = new Set<string>();
  for (const { source, parsed } of suffixes) {
    if (source.kind.kind !== "event") continue;
    const { system, topic, stem } = source.kind;
    if (!parsed.ok) {
      if (parsed.code === "VERSION_EXPLICIT_V1") withV1File.add(`${system}/${topic}/${stem.slice(0, -".v1".length)}`);
      continue;
    }
    const key = `${system}/${topic}/${parsed.event}`;
    const chain = chains.get(key) ?? { system, topic, event: parsed.event, links: [], explicitV1: false };
    chain.links.push({ version: parsed.version, source });
    chains.set(key, chain);
  }
  for (const [key, chain] of chains) {
    chain.links.sort((a, b) => a.version - b.version);
    chain.explicitV1 = withV1File.has(key);
  }
  return [...chains.values()].sort((a, b) => cmp(a.system, b.system) || cmp(a.topic, b.topic) || cmp(a.event, b.event));
}

/** The event versions of a sound chain whose schemas passed validate. */
function versionsOf(chain: Chain, schemas: ReadonlyMap<string, ValidSchema>): EventVersion[] {
  const { system, topic, event, links } = chain;
  const latest = links[links.length - 1]!.version;
  const out: EventVersion[] = [];
  for (const { version, source } of links) {
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
      deprecated: schema.deprecated,
      title: schema.title,
      dialect: schema.dialect,
      ...(file.json[SIGNED] === true ? { signed: true } : {}),
    });
  }
  return out;
}
