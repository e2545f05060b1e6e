/**
 * generate: turns the checked and compiled tree into the files of the package (the list below), and
 * events.json (the flat list as data, each entry with its self-contained published schema).
 */

import type { UnitOutput } from "../compile/compile.js";
import { eventSchemaId } from "../compile/ids.js";
import { cmp, type Diagnostic, diagnostic, START_OF_FILE } from "../diagnostics/index.js";
import { envelopeSchema } from "../model/envelope.js";
import type { ChainVerdict, EventEntry } from "../model/events-json.js";
import { kebab, pascal } from "../model/names.js";
import type { EventTree, EventVersion } from "../model/tree.js";
import { guardCode } from "../schema/ajv.js";
import { type AsyncApiInfo, asyncapiDocument, DEFAULT_ASYNCAPI_INFO } from "./asyncapi.js";
import { Bundle } from "./bundle.js";
import { API_TYPES_DTS } from "./declarations.js";
import { entryModule, loaderModule, RUNTIME_CJS } from "./runtime.js";
import { rootDts, sharedDts, systemDts, systemTypesDts } from "./types.js";

/** Generated files by name. */
export type GeneratedFiles = Map<string, string>;

/** The events.json entries of a tree (without the compatibility of the version chain). */
export function eventEntries(tree: EventTree, bundle: Bundle = new Bundle(tree.events, tree.shared)): EventEntry[] {
  return tree.events.map((ev) => entry(ev, bundle));
}

/** The events.json entry of one event (its bundle makes only the definitions it reaches). */
export function eventEntry(ev: EventVersion, bundle: Bundle): EventEntry {
  return entry(ev, bundle);
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

/**
 * Generates the package's files for a checked and compiled tree:
 *   index.js / index.cjs / index.d.ts / index.d.cts   the root: the flat list and the API
 *   load.cjs                                          the root's loader of validators
 *   systems/<system>.{js,cjs,d.ts,d.cts,load.cjs}     the same over one system's events
 *   runtime.cjs                                       the API's code and ajv's helpers, once
 *   validators/<type>.cjs, validators/_shared.cjs     each event's validator; shared definitions' once
 *   types/_shared.d.cts, types/<system>.d.cts         the declarations (CommonJS: both formats import them)
 *   types/_api.d.cts                                  the API's shared declarations
 *   events.json                                       the flat list as data
 *   asyncapi.json                                     the events as an AsyncAPI 3.0 document
 */
export function generate(
  tree: EventTree,
  chain: ReadonlyMap<string, ChainVerdict>,
  bundle: Bundle,
  compiled: {
    outputs: ReadonlyMap<string, UnitOutput>;
    sharedCode: ReadonlyMap<string, string>;
    types: ReadonlyMap<string, string>;
    sharedTypes?: string;
    /** The shared types each system's declarations name. */
    sharedNames: ReadonlyMap<string, string[]>;
  },
  /** The entries check already made. */
  made: readonly EventEntry[] = eventEntries(tree, bundle),
  /** The title and version of asyncapi.json: the package the tree belongs to. */
  info: AsyncApiInfo = DEFAULT_ASYNCAPI_INFO,
): GeneratedFiles {
  const entries = made.map((e) => {
    const previous = chain.get(e.type);
    // Keep the documented key order: compatibility before the (long) schema.
    if (!previous) return e;
    const { schema, ...rest } = e;
    return { ...rest, compatibility: { previous }, schema };
  });
  const files: GeneratedFiles = new Map();
  files.set("events.json", `${JSON.stringify(entries, null, 2)}\n`);
  files.set("asyncapi.json", `${JSON.stringify(asyncapiDocument(entries, tree.systems, info), null, 2)}\n`);
  files.set("runtime.cjs", RUNTIME_CJS);

  const shared = new Map<string, string>();
  for (const ev of tree.events) {
    const validator = compiled.outputs.get(ev.source.rel)?.validator;
    if (!validator) throw new Error(`no validator was compiled for ${ev.type}`);
    // Published code is guarded once more whether it was compiled now or read from the cache.
    // Each shared function once, however many events reach it.
    for (const [name] of validator.shared) if (!shared.has(name)) shared.set(name, guardCode(compiled.sharedCode.get(name) as string));
    files.set(`validators/${ev.type}.cjs`, validatorModule(ev.type, { ...validator, body: guardCode(validator.body) }));
  }
  const sharedNames = [...shared.keys()].sort(cmp);
  files.set(
    "validators/_shared.cjs",
    [
      '"use strict";',
      "// Generated by domain-events: the validators of the shared definitions and the envelope. Do not edit.",
      'const { __formats, __ucs2length, __equal } = require("../runtime.cjs");',
      ...sharedNames.map((n) => shared.get(n) as string),
      `module.exports = { ${sharedNames.join(", ")} };`,
      "",
    ].join("\n"),
  );

  const systems = [...new Set(tree.events.map((e) => e.system))].sort(cmp);
  const rows = (events: readonly EventVersion[]) =>
    events.map((ev) => [ev.type, ev.typeName, String(ev.source.json.title ?? ""), (ev.latest ? 1 : 0) | (ev.deprecated ? 2 : 0)] as const);
  files.set("load.cjs", loaderModule("./validators"));
  files.set("index.js", entryModule(rows(tree.events), "esm", "./runtime.cjs", "./load.cjs"));
  files.set("index.cjs", entryModule(rows(tree.events), "cjs", "./runtime.cjs", "./load.cjs"));
  files.set("index.d.ts", rootDts(systems));
  files.set("index.d.cts", rootDts(systems));
  files.set("types/_shared.d.cts", sharedDts(compiled.sharedTypes ?? ""));
  files.set("types/_api.d.cts", API_TYPES_DTS);
  for (const system of systems) {
    const mine = tree.events.filter((e) => e.system === system);
    files.set(`systems/${system}.load.cjs`, loaderModule("../validators", system));
    files.set(`systems/${system}.js`, entryModule(rows(mine), "esm", "../runtime.cjs", `./${system}.load.cjs`));
    files.set(`systems/${system}.cjs`, entryModule(rows(mine), "cjs", "../runtime.cjs", `./${system}.load.cjs`));
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

/** One event's validator module: CommonJS, so that the runtime can load it synchronously on first use. */
function validatorModule(type: string, validator: { body: string; imports: string[] }): string {
  return [
    '"use strict";',
    `// Generated by domain-events: the validator of ${type}. Do not edit.`,
    'const { __formats, __ucs2length, __equal } = require("../runtime.cjs");',
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

function entry(ev: EventVersion, bundle: Bundle): EventEntry {
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
