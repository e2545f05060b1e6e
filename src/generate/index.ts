/**
 * generate: turns the checked and compiled tree into the files of the package (the list below), and
 * events.json (the flat list as data, each entry with its self-contained published schema).
 */

import { cacheKey } from "../compile/cache.js";
import type { UnitOutput } from "../compile/compile.js";
import { eventSchemaId } from "../compile/ids.js";
import { cmp, type Diagnostic, diagnostic, START_OF_FILE } from "../diagnostics/index.js";
import { envelopeSchema } from "../model/envelope.js";
import type { ChainVerdict, EventEntry } from "../model/events-json.js";
import { kebab, pascal } from "../model/names.js";
import type { Store } from "../model/store.js";
import type { EventTree, EventVersion } from "../model/tree.js";
import { guardCode } from "../schema/ajv.js";
import { type AsyncApiInfo, type AsyncApiPart, asyncapiPart, asyncapiPieces, DEFAULT_ASYNCAPI_INFO, DefinitionTexts } from "./asyncapi.js";
import { Bundle } from "./bundle.js";
import type { CleanupDocument } from "./cleanup.js";
import { API_TYPES_DTS } from "./declarations.js";
import { OutputFiles } from "./outputs.js";
import { entryModule, listFile, loaderModule, RUNTIME_CJS } from "./runtime.js";
import { type OldPieces, type Piece, SplicedFile } from "./splice.js";
import { rootDts, sharedDts, systemDts, systemTypesDts } from "./types.js";

/**
 * The lines every validator module (an event's and the shared one) starts its code with: the
 * runtime's helpers that ajv's code calls, and the two values the own-property checks compare
 * with (plainOwnChecks, src/compile/own-checks.ts), bound once when the module is loaded.
 */
const VALIDATOR_PRELUDE = [
  'const { __formats, __ucs2length, __equal } = require("../runtime.cjs");',
  "const __proto = Object.prototype, __protoOf = Object.getPrototypeOf;",
];

/** Generated files by name (some of them made when read: generate/outputs.ts). */
export type GeneratedFiles = ReadonlyMap<string, string>;

/** The events.json entries of a tree (without the compatibility of the version chain). */
export function eventEntries(tree: EventTree, bundle: Bundle = new Bundle(tree.events, tree.shared)): EventEntry[] {
  return tree.events.map((ev) => eventEntry(ev, bundle));
}

/** The type-name collisions of a bundle, as diagnostics (a build cannot declare two types of one name). */
export function nameCollisions(tree: EventTree, bundle: Bundle): Diagnostic[] {
  return bundle.collisions().map(({ name, rels }) => {
    const [first, ...others] = rels.map((rel) => fileOf(tree, rel));
    return diagnostic(
      "GENERATE_TYPE_NAME",
      first as string,
      "",
      others.length > 0
        ? `the generated type name ${name} is used twice (also in ${others.join(", ")})`
        : `the generated type name ${name} is reserved or not a TypeScript identifier`,
      { hint: typeNameHint(name, rels), locate: START_OF_FILE },
    );
  });
}

/** What generate is given besides the tree: what the stages before it made, and the build cache. */
export interface GenerateInput {
  chain: ReadonlyMap<string, ChainVerdict>;
  bundle: Bundle;
  compiled: {
    outputs: ReadonlyMap<string, UnitOutput>;
    /** Each unit's content key (compile/index.ts): what its validator is made from. */
    keys?: ReadonlyMap<string, string>;
    sharedCode: ReadonlyMap<string, string>;
    types: ReadonlyMap<string, string>;
    sharedTypes?: string;
    /** The shared types each system's declarations name. */
    sharedNames: ReadonlyMap<string, string[]>;
  };
  /** The entries check already made (the others are made when the cache does not hold their texts). */
  entries?: readonly EventEntry[];
  /** The title and version of asyncapi.json: the package the tree belongs to. */
  info?: AsyncApiInfo;
  /** The test-data cleanup's graph and plan (generate/cleanup.ts): cleanup.json, when the tree has them. */
  cleanup?: CleanupDocument;
  /**
   * The build cache: `hashes` keeps the hashes of the files made when read (generate/outputs.ts)
   * and the layouts of the spliced ones (generate/splice.ts); `entryKey` is a hash of everything
   * an event's entry is made from, with its compatibility: its parts' label in those layouts.
   */
  cache?: { hashes: Store; entryKey(ev: EventVersion, verdict: ChainVerdict | undefined): string };
}

/** One event's texts in events.json (an element of its array, indented) and in asyncapi.json. */
interface EntryTexts {
  entry: string;
  part: AsyncApiPart;
}

const isString = (v: unknown): v is string => typeof v === "string";

/**
 * Generates the package's files for a checked and compiled tree:
 *   index.js / index.cjs / index.d.ts / index.d.cts   the root: the flat list and the API
 *   load.cjs, list.json                               the root's loader of validators, its list of events
 *   systems/<system>.{js,cjs,d.ts,d.cts,load.cjs,list.json}  the same over one system's events
 *   runtime.cjs                                       the API's code and ajv's helpers, once
 *   validators/<type>.cjs, validators/_shared.cjs     each event's validator; shared definitions' once
 *   types/_shared.d.cts, types/<system>.d.cts         the declarations (CommonJS: both formats import them)
 *   types/_api.d.cts                                  the API's shared declarations
 *   events.json                                       the flat list as data
 *   asyncapi.json                                     the events as an AsyncAPI 3.0 document
 *
 * The validators, events.json and asyncapi.json are made when read (generate/outputs.ts): a build
 * whose out folder holds a validator module of the same key links it without reading its code;
 * events.json and asyncapi.json are spliced from the files the last build wrote, only the edited
 * events' parts made (generate/splice.ts), else made from every event's entry.
 */
export function generate(tree: EventTree, input: GenerateInput): OutputFiles {
  const { chain, bundle, compiled, cache } = input;
  const files = new OutputFiles(cache?.hashes);
  const made = new Map(input.entries?.map((e) => [e.type, e]));
  // Each event's key: what its entry is made from (the label of its parts in the spliced files).
  const keys = tree.events.map((ev) => cache?.entryKey(ev, chain.get(ev.type)) ?? "");
  // Each event's texts, made from its entry (check's, or made now) when first asked for: a splice
  // asks only for the edited events'. Not kept in the cache: making them costs less than a pack of
  // every event's texts costs to write in a cold build and to read back.
  const texts: (EntryTexts | undefined)[] = [];
  const textsOf = (i: number): EntryTexts => {
    let out = texts[i];
    if (!out) {
      const ev = tree.events[i] as EventVersion;
      const entry = withCompatibility(made.get(ev.type) ?? eventEntry(ev, bundle), chain.get(ev.type));
      out = { entry: `  ${JSON.stringify(entry, null, 2).replaceAll("\n", "\n  ")}`, part: asyncapiPart(entry) };
      texts[i] = out;
    }
    return out;
  };
  // Labels of the events' members in the files spliced from the last build's (generate/splice.ts).
  const labels = keys.map((key, i) => key || `#${i}`);
  const eventsJson = new SplicedFile("events.json", cache?.hashes, () => ({
    pieces:
      tree.events.length === 0
        ? ["[]\n"]
        : [
            "[\n",
            ...tree.events.flatMap((_, i): Piece[] => [
              ...(i > 0 ? [",\n"] : []),
              { label: labels[i] as string, make: () => textsOf(i).entry },
            ]),
            "\n]\n",
          ],
  }));
  files.defer("events.json", cacheKey("events.json", keys), () => eventsJson.text(), {
    splice: (previous) => eventsJson.bytes(previous),
    whole: () => eventsJson.wholeBytes(),
    written: (hash) => eventsJson.written(hash),
  });
  const info = input.info ?? DEFAULT_ASYNCAPI_INFO;
  const asyncapi = new SplicedFile("asyncapi.json", cache?.hashes, (old) => asyncapiOf(tree, info, labels, textsOf, old));
  files.defer("asyncapi.json", cacheKey("asyncapi.json", keys, tree.systems, info), () => asyncapi.text(), {
    splice: (previous) => asyncapi.bytes(previous),
    whole: () => asyncapi.wholeBytes(),
    written: (hash) => asyncapi.written(hash),
  });
  files.set("runtime.cjs", RUNTIME_CJS);
  if (input.cleanup) files.set("cleanup.json", `${JSON.stringify(input.cleanup, null, 2)}\n`);

  const shared = new Map<string, string>();
  for (const ev of tree.events) {
    const validator = compiled.outputs.get(ev.source.rel)?.validator;
    if (!validator) throw new Error(`no validator was compiled for ${ev.type}`);
    // Published code is guarded once more whether it was compiled now or read from the cache.
    // Each shared function once, however many events reach it.
    for (const [name] of validator.shared) if (!shared.has(name)) shared.set(name, guardCode(compiled.sharedCode.get(name) as string));
    // Made when read (its body is read from the cache then): a module the out folder holds is linked.
    const unitKey = compiled.keys?.get(ev.source.rel);
    const module = () => validatorModule(ev.type, { imports: validator.imports, body: guardCode(validator.body) });
    files.defer(`validators/${ev.type}.cjs`, unitKey ? cacheKey("validator-module", ev.type, unitKey) : "", module);
  }
  files.set("validators/_shared.cjs", sharedValidatorModule(shared));

  const systems = [...new Set(tree.events.map((e) => e.system))].sort(cmp);
  const rows = (events: readonly EventVersion[]) =>
    events.map((ev) => [ev.type, ev.typeName, ev.title, (ev.latest ? 1 : 0) | (ev.deprecated ? 2 : 0)] as const);
  files.set("list.json", listFile(rows(tree.events)));
  files.set("load.cjs", loaderModule("./validators", "./list.json"));
  files.set("index.js", entryModule("esm", "./runtime.cjs", "./load.cjs"));
  files.set("index.cjs", entryModule("cjs", "./runtime.cjs", "./load.cjs"));
  files.set("index.d.ts", rootDts(systems));
  files.set("index.d.cts", rootDts(systems));
  files.set("types/_shared.d.cts", sharedDts(compiled.sharedTypes ?? ""));
  files.set("types/_api.d.cts", API_TYPES_DTS);
  for (const system of systems) {
    const mine = tree.events.filter((e) => e.system === system);
    files.set(`systems/${system}.list.json`, listFile(rows(mine)));
    files.set(`systems/${system}.load.cjs`, loaderModule("../validators", `./${system}.list.json`, system));
    files.set(`systems/${system}.js`, entryModule("esm", "../runtime.cjs", `./${system}.load.cjs`));
    files.set(`systems/${system}.cjs`, entryModule("cjs", "../runtime.cjs", `./${system}.load.cjs`));
    files.set(`systems/${system}.d.ts`, systemDts(system));
    files.set(`systems/${system}.d.cts`, systemDts(system));
    const latest = new Map(mine.filter((e) => e.latest).map((e) => [`${e.topic}/${e.event}`, e]));
    files.set(
      `types/${system}.d.cts`,
      systemTypesDts(
        system,
        compiled.types.get(system) ?? "",
        compiled.sharedNames.get(system) ?? [],
        mine.map((ev) => ({ ev, latest: latest.get(`${ev.topic}/${ev.event}`) })),
      ),
    );
  }
  return files;
}

/** An entry with the compatibility of its version with the one before (documented key order: before the long schema). */
function withCompatibility(e: EventEntry, previous: ChainVerdict | undefined): EventEntry {
  if (!previous) return e;
  const { schema, ...rest } = e;
  return { ...rest, compatibility: { previous }, schema };
}

/** What asyncapi.json's layout keeps besides its pieces: each event's definitions, by its label. */
const isDefinitionsOf = (v: unknown): v is [string, string[]][] =>
  Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && isString(e[0]) && Array.isArray(e[1]) && e[1].every(isString));

/**
 * asyncapi.json as pieces (generate/splice.ts). With the old file's pieces, an event whose label is
 * in it keeps the definitions it had (its members are copied, its texts never read); a definition
 * that another event bundles is made again from that event's texts (fresh).
 */
function asyncapiOf(
  tree: EventTree,
  info: AsyncApiInfo,
  labels: readonly string[],
  textsOf: (i: number) => EntryTexts,
  old: OldPieces | undefined,
): { pieces: Piece[]; extra: [string, string[]][] } | undefined {
  if (old && !isDefinitionsOf(old.extra)) return undefined;
  const kept = old ? new Map(old.extra as [string, string[]][]) : undefined;
  const members = tree.events.map((ev, i) => ({
    event: ev,
    typeName: ev.typeName,
    definitions: kept?.get(labels[i] as string) ?? textsOf(i).part.definitions.map(([name]) => name),
  }));
  // The definitions of the events made now (splicing: two of them that bundle one name
  // differently are a bug that the whole document reports, made without the old file), and, when
  // made whole, of every event.
  const fresh = new DefinitionTexts();
  for (const [i, ev] of kept ? tree.events.entries() : []) {
    if (!kept?.has(labels[i] as string) && !fresh.add(ev.type, textsOf(i).part, "report")) return undefined;
  }
  let all: DefinitionTexts | undefined;
  const anyText = (name: string) => {
    if (!all) {
      all = new DefinitionTexts();
      for (const [i, ev] of tree.events.entries()) all.add(ev.type, textsOf(i).part);
    }
    return all.text(name);
  };
  const pieces = asyncapiPieces(members, tree.systems, info, {
    label: (i) => labels[i] as string,
    message: (i) => textsOf(i).part.message,
    envelope: (i) => textsOf(i).part.envelope[1],
    definition: (name) => (fresh.has(name) ? { text: () => fresh.text(name), fresh: true } : { text: () => anyText(name), fresh: false }),
  });
  return { pieces, extra: members.map((m, i) => [labels[i] as string, [...m.definitions]]) };
}

/** The shared functions' module (functions by canonical name): every one of them, sorted by name. */
export function sharedValidatorModule(shared: ReadonlyMap<string, string>): string {
  const names = [...shared.keys()].sort(cmp);
  return [
    '"use strict";',
    "// Generated by domain-events: the validators of the shared definitions and the envelope. Do not edit.",
    ...VALIDATOR_PRELUDE,
    ...names.map((n) => shared.get(n) as string),
    `module.exports = { ${names.join(", ")} };`,
    "",
  ].join("\n");
}

/** One event's validator module: CommonJS, so that the runtime can load it synchronously on first use. */
export function validatorModule(type: string, validator: { body: string; imports: string[] }): string {
  return [
    '"use strict";',
    `// Generated by domain-events: the validator of ${type}. Do not edit.`,
    ...VALIDATOR_PRELUDE,
    ...(validator.imports.length > 0 ? [`const { ${validator.imports.join(", ")} } = require("./_shared.cjs");`] : []),
    validator.body,
    "module.exports = v0;",
    "",
  ].join("\n");
}

function info(ev: EventVersion): Omit<EventEntry, "schema"> {
  return {
    type: ev.type,
    system: ev.system,
    topic: ev.topic,
    event: ev.event,
    version: ev.version,
    latest: ev.latest,
    deprecated: ev.deprecated,
    typeName: ev.typeName,
    title: String(ev.source.json.title ?? ""),
    description: String(ev.source.json.description ?? ""),
  };
}

/** The events.json entry of one event (its bundle makes only the definitions it reaches). */
export function eventEntry(ev: EventVersion, bundle: Bundle): EventEntry {
  const dataName = bundle.nameOfFile(ev.source.rel);
  const $defs: Record<string, unknown> = {};
  for (const name of bundle.closure(dataName)) $defs[name] = bundle.definition(name)?.schema;
  const schema = envelopeSchema({
    type: ev.type,
    title: String(ev.source.json.title ?? ev.typeName),
    description: typeof ev.source.json.description === "string" ? ev.source.json.description : undefined,
    deprecated: ev.deprecated,
    dataRef: `#/$defs/${dataName}`,
    schemaUri: ev.dialect === "draft-07" ? "http://json-schema.org/draft-07/schema#" : "https://json-schema.org/draft/2020-12/schema",
    id: eventSchemaId(ev.type),
    sourcePin: ev.sourcePin,
    signed: ev.signed,
  });
  return { ...info(ev), schema: { ...schema, $defs } };
}

/** How to get a unique, legal type name: every shared file and $defs entry is named after itself in PascalCase. */
function typeNameHint(name: string, rels: readonly string[]): string {
  const how = "each shared file and $defs entry becomes a TypeScript type named after it in PascalCase (money.json → Money)";
  const stemOf = (rel: string) => (rel.split("/").at(-1) ?? "").replace(/(\.v[0-9]+)?\.json$/, "");
  if (!/^[A-Za-z_$]/.test(name)) {
    return `rename "${name}" so that it starts with a letter, e.g. "${stemOf(rels[0] ?? "") || "name"}-${name}": ${how}`;
  }
  const same = (rel: string) => stemOf(rel).replace(/-/g, "").toLowerCase() === name.toLowerCase();
  const shared = rels.filter((rel) => rel.split("/").some((p) => p.startsWith("_")));
  // Rename a shared definition rather than an event: the $defs entry of another file if there is one, else the shared file.
  const rel = shared.find((r) => !same(r)) ?? shared[0] ?? rels.at(-1) ?? "";
  const suggestion = same(rel) ? `${stemOf(rel)}-details` : `${stemOf(rel)}-${kebab(name)}`;
  const what = same(rel) ? `the file ${rel}` : `the $defs entry in ${rel}`;
  return `rename ${what}, e.g. to "${suggestion}" (type ${pascal(suggestion)}): ${rels.length > 1 ? how : `${name} is a name the package declares itself`}`;
}

function fileOf(tree: EventTree, rel: string): string {
  return (tree.events.find((e) => e.source.rel === rel)?.source ?? tree.shared.find((s) => s.rel === rel))?.file ?? rel;
}
