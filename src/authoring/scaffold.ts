/**
 * scaffold: what `domain-events new` writes, decided without touching the disk. Given the tree as
 * discover read it and the author's answers, it plans the files of a new event (and of its system
 * when that is new) or of an event's next version, with the steps to take next.
 *
 * Names are judged by the rules `check` applies, through the same functions (versions, parseStem,
 * classify), so a refused name carries the diagnostic `check` would give for it.
 */

import path from "node:path/posix";
import { type Diagnostic, diagnostic, START_OF_FILE } from "../diagnostics/index.js";
import { pathNameProblem } from "../model/names.js";
import type { ParsedFile, SourceFile } from "../model/tree.js";
import { parseJson } from "../schema/json.js";
import { idOf } from "../schema/refs.js";
import { classify } from "../stages/discover.js";
import { parse } from "../stages/parse.js";
import { type ParsedStem, parseStem, pascal, versions } from "../stages/versions.js";

/** The events tree as `new` sees it. */
export interface ScaffoldTree {
  /** The events folder as diagnostics name it: relative to the current folder, forward slashes. */
  base: string;
  /** Every file discover read. */
  files: readonly SourceFile[];
  /**
   * The `$schema` a new event states: JSON Schema 2020-12, by its URI or by the path of the house
   * meta-schema (editor-schema.ts) when that sits beside the events folder, so editors check it as typed.
   */
  eventSchema: string;
}

/** Where an event lives: `<system>/<topic>/<event>`. */
export interface EventPath {
  system: string;
  topic: string;
  event: string;
}

/** Why `new` will not go on: the diagnostics `check` would give (exit 1), or none for a bad request (exit 2). */
export interface Refusal {
  /** One line, for re-asking a question or for the error output. */
  message: string;
  diagnostics: Diagnostic[];
}

/** A file to create. */
export interface PlannedFile {
  /** Path relative to the events folder. */
  rel: string;
  /** Path as diagnostics name it. */
  file: string;
  text: string;
  /** What it is, for the list of created files. */
  what: string;
}

/** The step before a commit: the canonical form, which CI checks with fmt --check. */
const FMT_STEP = "npm run fmt: the file in its canonical form (CI runs fmt --check).";
/** The step before a release: what the change makes of it. */
const DIFF_STEP = "npm run diff: what this change makes of the next release, against the last one.";

/** What `new` is about to do: files in writing order (the event file last) and the steps to take next. */
export interface ScaffoldPlan {
  files: PlannedFile[];
  /** The event version's type, e.g. `billing.invoice.invoice-issued.v2`. */
  type: string;
  /** Its TypeScript name, e.g. `InvoiceIssuedV2`. */
  typeName: string;
  /** What to do next, one step per entry. */
  next: string[];
}

/** Either a plan or the reason there is none. */
export type PlanResult = { ok: true; plan: ScaffoldPlan } | { ok: false; refusal: Refusal };

/** What a new event needs from its author; the system's fields only when the system is new. */
export interface NewEventAnswers {
  title: string;
  description: string;
  system?: { title: string; description: string; owner: string };
}

/** The answers `new` proposes when the author gives none. */
export interface NewEventDefaults {
  title: string;
  description: string;
  /** Set when the system has no file in the tree yet: its system.json is to be written. */
  system?: { title: string; description: string; owner: string };
}

/** Placeholders are in angle brackets: plainly text to replace, and still a valid schema meanwhile. */
const PLACEHOLDER = /<[^<>]+>/;

/** The file of `rel` as diagnostics name it. */
export function displayPath(tree: ScaffoldTree, rel: string): string {
  return path.join(tree.base, rel);
}

/**
 * Reads `<system>/<topic>/<event>` as typed by an author: a leading events folder and a trailing
 * `.json` are forgiven. For a new event the path must be free; for a new version the event must
 * exist (`mode`).
 */
export function readEventPath(
  text: string,
  tree: ScaffoldTree,
  mode: "new" | "version",
): { ok: true; path: EventPath } | { ok: false; refusal: Refusal } {
  let given = text
    .trim()
    .replace(/\\/g, "/")
    .replace(/\.json$/, "");
  if (tree.base !== "." && given.startsWith(`${tree.base}/`)) given = given.slice(tree.base.length + 1);
  // `events/billing/invoice/x` typed from elsewhere than the folder that holds events/.
  let parts = given.split("/");
  if (parts.length === 4 && parts[0] === path.basename(tree.base)) {
    parts = parts.slice(1);
    given = parts.join("/");
  }
  const refuse = (message: string, diagnostics: Diagnostic[] = []) => ({ ok: false as const, refusal: { message, diagnostics } });
  if (given === "" || parts.length !== 3 || parts.some((p) => p === "")) {
    return refuse(`"${text.trim()}" is not <system>/<topic>/<event> (for example billing/invoice/invoice-issued)`);
  }
  const rel = `${given}.json`;
  const kind = classify(rel);
  if (kind?.kind !== "event") return refuse(`"${given}": names starting with _ hold shared definitions, not events`);

  // The name rules, from the functions check uses (discover's, then the version suffix's): a lone
  // file, so only its own names are judged.
  const file = virtualFile(tree, rel);
  const bad = pathNameProblem(rel, false);
  const named = bad
    ? [diagnostic("LAYOUT_NAME", file.file, "", bad.message, { hint: bad.hint, locate: START_OF_FILE })]
    : versions([file], new Map()).diagnostics;
  if (named.length > 0) return refuse(oneLine(named[0] as Diagnostic), named);
  const stem = parseStem(kind.stem) as Extract<ParsedStem, { ok: true }>;
  const where: EventPath = { system: kind.system, topic: kind.topic, event: stem.event };
  const chain = chainOf(tree, where);

  if (mode === "version") {
    if (chain.length === 0) {
      return refuse(`there is no event ${display(tree, where)} yet: make it with domain-events new ${slug(where)}`);
    }
    return { ok: true, path: where };
  }
  if (stem.version !== 1) {
    return refuse(`new makes version 1 of an event; for version ${stem.version}, run domain-events new --version ${slug(where)}`);
  }
  if (chain.length > 0) {
    const latest = chain[chain.length - 1] as { version: number; file: SourceFile };
    return refuse(
      `${latest.file.file} exists already: edit it, or make version ${latest.version + 1} with domain-events new --version ${slug(where)}`,
    );
  }
  const collisions = nameCollisions(tree, rel);
  if (collisions.length > 0) return refuse(oneLine(collisions[0] as Diagnostic), collisions);
  return { ok: true, path: where };
}

/** The defaults `new` offers for an event at `where`. */
export function newEventDefaults(tree: ScaffoldTree, where: EventPath): NewEventDefaults {
  const title = sentence(where.event);
  const existing = systemTitle(tree, where.system);
  const by = existing ?? sentence(where.system);
  const description = `Emitted by ${by} when <what happened, and who can act on it>.`;
  if (existing !== undefined) return { title, description };
  const system = { title: by, description: `The ${by} system: <what it does, and which entities it owns>.`, owner: `team-${where.system}` };
  return { title, description, system };
}

/** Checks one answer: undefined when it is fine, else what is wrong with it. */
export function checkAnswer(answer: string): string | undefined {
  return answer.trim() === "" ? "an answer is needed here" : undefined;
}

/** Plans a new event (version 1) at `where`, and its system.json when the system is new. */
export function planNewEvent(tree: ScaffoldTree, where: EventPath, answers: NewEventAnswers): PlanResult {
  const again = readEventPath(slug(where), tree, "new");
  if (!again.ok) return again;
  const files: PlannedFile[] = [];
  const isNewSystem = newEventDefaults(tree, where).system !== undefined;
  if (isNewSystem !== (answers.system !== undefined)) {
    return {
      ok: false,
      refusal: {
        message: `the system ${where.system} ${isNewSystem ? "is new and needs" : "exists and takes no"} title, description and owner`,
        diagnostics: [],
      },
    };
  }
  if (answers.system) {
    const rel = `${where.system}/system.json`;
    const system = {
      title: answers.system.title.trim(),
      description: answers.system.description.trim(),
      owner: answers.system.owner.trim(),
      // The CloudEvents source: each event's published schema pins the envelope's source to it.
      source: `/systems/${where.system}`,
    };
    files.push({ rel, file: displayPath(tree, rel), text: json(system), what: `the new system ${where.system}` });
  }
  const rel = `${slug(where)}.json`;
  const file = displayPath(tree, rel);
  files.push({ rel, file, text: json(eventSchema(tree, where, answers)), what: "version 1 of the event" });

  const typeName = pascal(where.event);
  const type = `${where.system}.${where.topic}.${where.event}.v1`;
  const next = [
    `Describe the data in ${file}: keep, rename or replace the two example fields under "properties" (each with a "description"), list the ones every event carries in "required", and make the payload under "examples" a realistic one.`,
  ];
  const shared = sharedFiles(tree);
  if (shared.length > 0) {
    const listed = shared.length > 4 ? `${shared.slice(0, 4).join(", ")} …` : shared.join(", ");
    next.push(
      `Reuse the shared definitions of ${displayPath(tree, "_shared/")} (${listed}) rather than repeating them: a field { "$ref": "../../_shared/${shared[0]}", "description": "…" }.`,
    );
  }
  const placeholders = [answers.description, answers.system?.description ?? ""].some((t) => PLACEHOLDER.test(t));
  if (placeholders) next.push(`Replace the text in angle brackets (<…>) in ${files.map((f) => f.file).join(" and ")}.`);
  if (answers.system)
    next.push(
      `Check ${files[0]?.file}: its source, /systems/${where.system}, is the CloudEvents source the system's events are sent from.`,
    );
  next.push("npm run check: the names, the schema, and that the example fits it.");
  next.push(FMT_STEP);
  next.push(`npm run build: the type ${typeName} and the validator of "${type}" in the package.`);
  next.push(DIFF_STEP);
  return { ok: true, plan: { files, type, typeName, next } };
}

/**
 * Plans version N+1 of the event at `where`: a copy of version N whose description ends with
 * `Version N+1: <change>.` and whose `$id`, if it states one, follows the new path. The copy is
 * compatible with version N by construction, so check warns (COMPAT_VERSION_UNNEEDED) until the
 * author makes the breaking change it exists for.
 */
export function planNewVersion(tree: ScaffoldTree, where: EventPath, change: string): PlanResult {
  const found = readEventPath(slug(where), tree, "version");
  if (!found.ok) return found;
  const chain = chainOf(tree, where);
  const gaps = versions(
    chain.map((c) => c.file),
    new Map(),
  ).diagnostics;
  if (gaps.length > 0) return { ok: false, refusal: { message: oneLine(gaps[0] as Diagnostic), diagnostics: gaps } };
  const latest = chain[chain.length - 1] as { version: number; file: SourceFile };
  const parsed = parse([latest.file]);
  const source = parsed.value[0];
  if (!source || parsed.diagnostics.some((d) => d.severity === "error")) {
    return {
      ok: false,
      refusal: { message: `${latest.file.file} does not parse: fix it before copying it`, diagnostics: parsed.diagnostics },
    };
  }
  const version = latest.version + 1;
  const rel = `${slug(where)}.v${version}.json`;
  const file = displayPath(tree, rel);
  const text = copyForVersion(source, rel, version, change);
  const previous = latest.file.file;
  const typeName = `${pascal(where.event)}V${version}`;
  const type = `${where.system}.${where.topic}.${where.event}.v${version}`;
  const next = [
    `Make the breaking change in ${file} (remove or rename a field, make one required, narrow a type or an enum …) and update "examples" to match. Until then check warns COMPAT_VERSION_UNNEEDED: the copy is still fully compatible with version ${latest.version}.`,
    PLACEHOLDER.test(change)
      ? `Replace "${CHANGE_PLACEHOLDER}" at the end of its "description" with what changed and why.`
      : `Check the end of its "description": "Version ${version}: ${change.trim().replace(/\.$/, "")}."`,
    `Once producers send version ${version}, mark ${previous} "deprecated": true.`,
    `npm run check: the warning must be gone. To see every change between the two versions: domain-events compat ${previous} ${file}`,
    FMT_STEP,
    `npm run build: the type ${typeName} and the validator of "${type}"; both versions stay in the package.`,
    DIFF_STEP,
  ];
  return {
    ok: true,
    plan: { files: [{ rel, file, text, what: `version ${version}, a copy of ${path.basename(previous)}` }], type, typeName, next },
  };
}

/** The default of the change sentence of a new version. */
export const CHANGE_PLACEHOLDER = "<what changed> because <why>";

/** The highest version of the event at `where` in the tree (0 when there is none). */
export function latestVersion(tree: ScaffoldTree, where: EventPath): number {
  return chainOf(tree, where).at(-1)?.version ?? 0;
}

/** The versions of the event at `where` found in the tree, in order. */
function chainOf(tree: ScaffoldTree, where: EventPath): { version: number; file: SourceFile }[] {
  const out: { version: number; file: SourceFile }[] = [];
  for (const file of tree.files) {
    if (file.kind.kind !== "event" || file.kind.system !== where.system || file.kind.topic !== where.topic) continue;
    const stem = parseStem(file.kind.stem);
    if (stem.ok && stem.event === where.event) out.push({ version: stem.version, file });
  }
  return out.sort((a, b) => a.version - b.version);
}

/**
 * The flat-list collisions a new event file would cause: versions() over every event of the tree
 * and the new file. Names and collisions are decided by paths alone, so each file is given an
 * empty schema and the dialect plays no part.
 */
function nameCollisions(tree: ScaffoldTree, rel: string): Diagnostic[] {
  const added = virtualFile(tree, rel);
  const events = [...tree.files.filter((f) => f.kind.kind === "event"), added];
  const schemas = new Map(
    events.map((f) => [
      f.rel,
      {
        file: { ...f, json: {}, locate: START_OF_FILE } as ParsedFile,
        dialect: "2020-12" as const,
        deprecated: false,
        title: "",
        definitions: [],
      },
    ]),
  );
  return versions(events, schemas).diagnostics.filter(
    (d) => d.code === "VERSION_NAME_COLLISION" && (d.file === added.file || d.related?.file === added.file),
  );
}

/** A file that does not exist yet, as discover would have listed it. */
function virtualFile(tree: ScaffoldTree, rel: string): SourceFile {
  return { file: displayPath(tree, rel), rel, bytes: new Uint8Array(), kind: classify(rel) ?? { kind: "shared" } };
}

/** The JSON Schema of a new event: closed, two example fields, one example that fits. */
function eventSchema(tree: ScaffoldTree, where: EventPath, answers: NewEventAnswers): Record<string, unknown> {
  const thing = where.topic.replace(/-/g, " ");
  const idName = `${camel(where.topic)}Id`;
  const sharedId = sharedIdDefinition(tree, idName);
  const idField = sharedId
    ? { $ref: `../../_shared/ids.json#/$defs/${idName}`, description: `The id of the ${thing}.` }
    : { description: `The id of the ${thing}.`, type: "string", minLength: 1 };
  const idExample = sharedId ? "3f1c2a4e-8b7d-4e6f-9a0b-1c2d3e4f5a6b" : `${where.topic}-1`;
  const last = where.event.split("-").at(-1) as string;
  const past = /ed$/.test(last) || IRREGULAR_PAST.has(last);
  const timeName = past ? `${last}At` : "occurredAt";
  const timeField = {
    description: past ? `When the ${thing} was ${last}.` : "When it happened.",
    type: "string",
    format: "date-time",
  };
  return {
    $schema: tree.eventSchema,
    title: answers.title.trim(),
    description: answers.description.trim(),
    type: "object",
    additionalProperties: false,
    required: [idName, timeName],
    properties: { [idName]: idField, [timeName]: timeField },
    examples: [{ [idName]: idExample, [timeName]: "2026-01-15T09:30:00Z" }],
  };
}

/** Past participles that do not end in -ed, common in event names (`receipt-sent`, `invoice-paid`). */
const IRREGULAR_PAST = new Set([
  "sent",
  "paid",
  "made",
  "built",
  "sold",
  "held",
  "won",
  "lost",
  "shown",
  "given",
  "taken",
  "chosen",
  "written",
  "done",
  "set",
  "put",
  "read",
  "begun",
]);

/**
 * Whether `_shared/ids.json` defines `name` as a plain UUID string: only then does the scaffold
 * refer to it, since only then does its example UUID surely fit.
 */
function sharedIdDefinition(tree: ScaffoldTree, name: string): boolean {
  const ids = tree.files.find((f) => f.rel === "_shared/ids.json");
  if (!ids) return false;
  const defs = parse([ids]).value[0]?.json.$defs;
  const def = defs && typeof defs === "object" ? (defs as Record<string, unknown>)[name] : undefined;
  if (!def || typeof def !== "object" || Array.isArray(def)) return false;
  const d = def as Record<string, unknown>;
  const annotations = new Set(["title", "description", "$comment", "examples", "type", "format"]);
  return d.type === "string" && d.format === "uuid" && Object.keys(d).every((k) => annotations.has(k));
}

/** The shared files directly under `_shared/`, money and ids first: the ones most events need. */
function sharedFiles(tree: ScaffoldTree): string[] {
  const names = tree.files.filter((f) => /^_shared\/[^/]+\.json$/.test(f.rel)).map((f) => f.rel.slice("_shared/".length));
  const first = ["money.json", "ids.json"].filter((n) => names.includes(n));
  return [...first, ...names.filter((n) => !first.includes(n))];
}

/** The title of an existing system (from its system.json), or its name when it has none; undefined for a new system. */
function systemTitle(tree: ScaffoldTree, system: string): string | undefined {
  const files = tree.files.filter((f) => f.kind.kind !== "shared" && "system" in f.kind && f.kind.system === system);
  if (files.length === 0) return undefined;
  const own = files.find((f) => f.kind.kind === "system");
  const title = own ? parse([own]).value[0]?.json.title : undefined;
  return typeof title === "string" && title.trim() !== "" ? title : system;
}

/**
 * The text of version `version` made from the previous version's file: the same bytes, with the
 * description's version sentence replaced, a stated `$id` moved to the new path, and
 * `"deprecated": true` turned off. Edits go by position so every other byte stays as the author wrote it.
 */
function copyForVersion(source: ParsedFile, rel: string, version: number, change: string): string {
  const text = new TextDecoder().decode(source.bytes);
  const { positions } = parseJson(text);
  const edits: { at: number; length: number; value: string }[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const offsetOf = (pointer: string) => {
    const p = positions.get(pointer);
    return p ? (lineStarts[p.line - 1] as number) + p.column - 1 : undefined;
  };
  const replaceString = (pointer: string, value: string) => {
    const at = offsetOf(pointer);
    if (at !== undefined && text[at] === '"') edits.push({ at, length: stringTokenLength(text, at), value: JSON.stringify(value) });
  };

  const { json } = source;
  if (typeof json.description === "string") {
    // The tree's convention: the description ends with the latest version's reason ("Version 2: … because …").
    const base = json.description.replace(/\s*\bVersion \d+:[\s\S]*$/, "").trim();
    const sentence = change.trim().replace(/\.$/, "");
    replaceString("/description", `${base}${base ? " " : ""}Version ${version}: ${sentence}.`);
  }
  if (typeof json.$id === "string") replaceString("/$id", idOf(rel));
  if (json.deprecated === true) {
    const at = offsetOf("/deprecated");
    if (at !== undefined) edits.push({ at, length: "true".length, value: "false" });
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.value + out.slice(e.at + e.length);
  return out;
}

/** Length of the JSON string token starting at `at` (a double quote), escapes included. */
function stringTokenLength(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1 - at;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function slug(where: EventPath): string {
  return `${where.system}/${where.topic}/${where.event}`;
}

function display(tree: ScaffoldTree, where: EventPath): string {
  return displayPath(tree, `${slug(where)}.json`);
}

/** A diagnostic for re-asking: its code and message, and what to do on a second line. */
function oneLine(d: Diagnostic): string {
  return `${d.code}: ${d.message}${d.hint ? `\n  hint: ${d.hint}` : ""}`;
}

/** `invoice-issued` → `Invoice issued`. */
function sentence(name: string): string {
  const words = name.replace(/-/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `payment-profile` → `paymentProfile`. */
function camel(name: string): string {
  const p = pascal(name);
  return p.charAt(0).toLowerCase() + p.slice(1);
}
