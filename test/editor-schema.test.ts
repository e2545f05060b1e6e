/**
 * Editor support (docs/authoring.md "Editor support"): the house meta-schemas in editor/ say what the build
 * says, for every file the build accepts or refuses, and the editors really use them.
 *
 * - The meta-schemas are made from the build's own lists (scripts/editor-schemas.ts) and must be
 *   committed as made; their lists equal the build's constants.
 * - With ajv: our events tree is valid against them, and every fixture file that `check` refuses
 *   for a rule they express is refused by them too, near the same place; files `check` accepts are
 *   accepted.
 * - The `$schema` alias of a meta-schema is 2020-12 for the build, and the package publishes the
 *   canonical URI.
 * - With vscode-json-languageservice, the library that VS Code's JSON support runs: a file naming
 *   the meta-schema in `$schema` gets the house rules, one naming the 2020-12 URI does not (an
 *   in-file `$schema` overrides the workspace's associations), a file without `$schema` gets them
 *   from `.vscode/settings.json`, and nothing is fetched from the network.
 */

import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import jsonls from "vscode-json-languageservice";
import { TextDocument } from "vscode-languageserver-textdocument";
import { DIALECT_2020_12_URIS, editorSchemas, editorSchemaText } from "../scripts/editor-schemas.js";
import {
  ALIASED_DIALECT_URI,
  EDITOR_FOLDER,
  EDITOR_SCHEMA_FILES,
  EDITOR_SCHEMA_IDS,
  type EditorSchemaKind,
  EVENT_SCHEMA_REF,
  editorSchemaRef,
} from "../src/authoring/editor-schema.js";
import type { Code, Diagnostic } from "../src/diagnostics/index.js";
import { build, check } from "../src/pipeline.js";
import { ALLOWED_FORMATS, DIALECT_URIS } from "../src/schema/ajv.js";
import { idOf } from "../src/schema/refs.js";
import { KNOWN_KEYWORDS, TS_KEYWORDS, walkSchema } from "../src/schema/walk.js";
import { classify, discover } from "../src/stages/discover.js";
import { RESERVED_KEYS } from "../src/stages/parse.js";
import { ROOT, scratch } from "./helpers.js";

type Json = Record<string, unknown>;

/** The annotations of VS Code's JSON support that the meta-schemas use: keywords without validation. */
const EDITOR_ANNOTATIONS = [
  "markdownDescription",
  "markdownEnumDescriptions",
  "enumDescriptions",
  "errorMessage",
  "patternErrorMessage",
  "deprecationMessage",
  "doNotSuggest",
  "defaultSnippets",
];

/** Codes whose findings the meta-schemas express (SCHEMA_META, SCHEMA_ID, SCHEMA_DIALECT in part): a fixture refused for one is refused by them. */
const EXPRESSED: ReadonlySet<Code> = new Set<Code>([
  "PARSE_NOT_OBJECT",
  "PARSE_RESERVED_KEY",
  "LAYOUT_SYSTEM_FILE",
  "SCHEMA_DIALECT",
  "SCHEMA_META",
  "SCHEMA_UNKNOWN_KEYWORD",
  "SCHEMA_TS_KEYWORD",
  "SCHEMA_FORMAT",
  "SCHEMA_ID",
  "SCHEMA_REF_REMOTE",
  "SCHEMA_NOT_OBJECT",
  "SCHEMA_CONTENT_MODEL",
  "SCHEMA_TITLE",
  "SCHEMA_DESCRIPTION",
  "SCHEMA_EXAMPLES",
  "SCHEMA_DEPRECATED",
]);

const committed = async (kind: EditorSchemaKind): Promise<Json> =>
  JSON.parse(await readFile(path.join(ROOT, EDITOR_FOLDER, EDITOR_SCHEMA_FILES[kind]), "utf8")) as Json;

/** The meta-schemas compiled with a draft-07 ajv (their own dialect), strict, by kind. */
function compileMetaSchemas(schemas: Record<EditorSchemaKind, Json>): Record<EditorSchemaKind, ValidateFunction> {
  const ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false, allErrors: true, allowUnionTypes: true, logger: false });
  ajv.addVocabulary(EDITOR_ANNOTATIONS);
  for (const schema of Object.values(schemas)) ajv.addSchema(schema);
  const get = (kind: EditorSchemaKind) => ajv.getSchema(EDITOR_SCHEMA_IDS[kind]) as ValidateFunction;
  return { event: get("event"), shared: get("shared"), system: get("system") };
}

/** Where an ajv error points: its instance path, plus the offending key for additionalProperties and propertyNames. */
function errorPointer(e: ErrorObject): string {
  const p = e.params as { additionalProperty?: string; propertyName?: string };
  const key = e.keyword === "additionalProperties" ? p.additionalProperty : e.keyword === "propertyNames" ? p.propertyName : undefined;
  return key === undefined ? e.instancePath : `${e.instancePath}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** One pointer is the other or holds it (a finding at an object, an error at its key, or the reverse). */
function related(a: string, b: string): boolean {
  const within = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}/`);
  return within(a, b) || within(b, a);
}

function kindOfRel(rel: string): EditorSchemaKind | undefined {
  const kind = classify(rel)?.kind;
  return kind === "event" || kind === "shared" || kind === "system" ? kind : undefined;
}

/** Every file of an events folder that is JSON, with its kind. */
async function treeFiles(eventsDir: string): Promise<{ rel: string; file: string; kind: EditorSchemaKind; json: unknown }[]> {
  const found = await discover({ eventsDir, cwd: ROOT });
  const out = [];
  for (const f of found.value) {
    const kind = kindOfRel(f.rel);
    if (!kind) continue;
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(f.bytes));
    } catch {
      continue;
    }
    out.push({ rel: f.rel, file: f.file, kind, json });
  }
  return out;
}

const META = compileMetaSchemas(editorSchemas());

describe("the meta-schemas in editor/", () => {
  it("are committed as scripts/editor-schemas.ts makes them (update: npx tsx scripts/editor-schemas.ts --write)", async () => {
    const made = editorSchemas();
    for (const kind of ["event", "shared", "system"] as const) {
      const text = await readFile(path.join(ROOT, EDITOR_FOLDER, EDITOR_SCHEMA_FILES[kind]), "utf8");
      expect(text, kind).toBe(editorSchemaText(made[kind]));
    }
  });

  it("are valid draft-07 schemas with the ids the alias resolves to", async () => {
    const ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true, logger: false });
    ajv.addVocabulary(EDITOR_ANNOTATIONS);
    for (const kind of ["event", "shared", "system"] as const) {
      const schema = await committed(kind);
      expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
      expect(schema.$id).toBe(EDITOR_SCHEMA_IDS[kind]);
      expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    }
  });

  it("list the keywords of 2020-12 that the build knows, and refuse the ts* keywords", async () => {
    const shared = await committed("shared");
    const schema = (shared.definitions as Record<string, Json>).schema as Json;
    const properties = schema.properties as Record<string, Json>;
    expect(schema.additionalProperties).toBe(false);
    const keywords = Object.keys(properties).filter((k) => !TS_KEYWORDS.has(k));
    expect(new Set(keywords)).toEqual(KNOWN_KEYWORDS["2020-12"]);
    for (const k of TS_KEYWORDS) expect(properties[k]?.not, k).toEqual({});
  });

  it("allow exactly the build's formats", async () => {
    const shared = await committed("shared");
    const schema = (shared.definitions as Record<string, Json>).schema as Json;
    const format = (schema.properties as Record<string, Json>).format as Json;
    expect(format.enum).toEqual([...ALLOWED_FORMATS]);
    for (const f of ALLOWED_FORMATS) expect(META.shared({ type: "string", format: f }), f).toBe(true);
    expect(META.shared({ type: "string", format: "phone" })).toBe(false);
  });

  it("accept the build's 2020-12 dialect URIs and the alias, and refuse the rest", async () => {
    const event = await committed("event");
    const eventDialects = ((((event.allOf as Json[])[0] as Json).properties as Record<string, Json>).$schema as Json).enum;
    expect(eventDialects).toEqual([EVENT_SCHEMA_REF, ...DIALECT_2020_12_URIS]);
    expect(DIALECT_2020_12_URIS.length).toBeGreaterThan(0);
    const base = { title: "T", description: "D", type: "object", additionalProperties: false, examples: [{}] };
    for (const [uri, dialect] of Object.entries(DIALECT_URIS)) {
      // draft-07 files are never checked against the house meta-schemas: editors use the official draft-07 one.
      expect(META.event({ ...base, $schema: uri }), uri).toBe(dialect === "2020-12");
      expect(META.shared({ ...base, $schema: uri }), uri).toBe(dialect === "2020-12");
    }
    expect(META.shared({ ...base, $schema: editorSchemaRef("_shared/a/b.json", "shared") })).toBe(true);
    for (const other of ["http://json-schema.org/draft-04/schema#", "../../editor/event.schema.json", "https://example.com/meta.json"]) {
      expect(META.event({ ...base, $schema: other }), other).toBe(false);
    }
  });

  it("refuse exactly the build's reserved keys, as keys anywhere", () => {
    const candidates = [
      ...RESERVED_KEYS,
      ...Object.getOwnPropertyNames(Object.prototype),
      "orderId",
      "proto",
      "__proto",
      "toStringTag",
      "values",
    ];
    const refused = (key: string) => {
      const where = [
        { type: "object", additionalProperties: false, properties: JSON.parse(`{${JSON.stringify(key)}: { "type": "string" }}`) },
        { type: "object", additionalProperties: false, examples: [JSON.parse(`{"a": [{${JSON.stringify(key)}: 1}]}`)] },
        { $defs: JSON.parse(`{${JSON.stringify(key)}: { "type": "string" }}`) },
      ];
      const verdicts = where.map((schema) => !META.shared(schema));
      expect(new Set(verdicts).size, key).toBe(1);
      return verdicts[0];
    };
    expect(new Set(candidates.filter(refused))).toEqual(RESERVED_KEYS);
  });

  it("apply the house rules in every subschema the build walks", () => {
    // A ts* keyword, an unknown format and an object without content model at each applicator.
    const bad = { type: "object", properties: { x: { type: "string", tsType: "X", format: "phone" } } };
    const positions: Json = {
      properties: { a: bad },
      patternProperties: { "^b": bad },
      additionalProperties: bad,
      unevaluatedProperties: bad,
      propertyNames: bad,
      dependentSchemas: { c: bad },
      $defs: { d: bad },
      definitions: { e: bad },
      items: bad,
      prefixItems: [bad],
      contains: bad,
      unevaluatedItems: bad,
      allOf: [bad],
      anyOf: [bad],
      oneOf: [bad],
      not: bad,
      if: bad,
      // biome-ignore lint/suspicious/noThenProperty: "then" is a JSON Schema keyword
      then: bad,
      else: bad,
      contentSchema: bad,
    };
    const root = { ...positions, type: "object" };
    const walked: string[] = [];
    walkSchema(root, ({ schema, pointer }) => {
      if ("tsType" in schema) walked.push(`${pointer}/tsType`);
    });
    expect(META.shared(root)).toBe(false);
    const errors = META.shared.errors ?? [];
    const flagged = new Set(errors.filter((e) => e.instancePath.endsWith("/tsType")).map((e) => e.instancePath));
    expect(flagged).toEqual(new Set(walked));
    expect(walked.length).toBe(Object.keys(positions).length);
    for (const w of walked) {
      const at = w.slice(0, -"/x/tsType".length - "/properties".length);
      expect(
        errors.some((e) => e.instancePath === `${w.slice(0, -"/tsType".length)}/format`),
        w,
      ).toBe(true);
      expect(
        errors.some((e) => e.instancePath === at && e.keyword === "required"),
        `${at}: content model`,
      ).toBe(true);
    }
  });
});

describe("the meta-schemas against the build", () => {
  it("accept every file of our events tree", async () => {
    const files = await treeFiles("events");
    expect(files.length).toBeGreaterThan(40);
    expect(new Set(files.map((f) => f.kind))).toEqual(new Set(["event", "shared", "system"]));
    for (const f of files) {
      expect(META[f.kind](f.json), `${f.file}: ${JSON.stringify(META[f.kind].errors)}`).toBe(true);
    }
  });

  it("refuse every fixture file that check refuses for a rule they express, near the same place, and accept the others", async () => {
    const fixtures = (await readdir(path.join(ROOT, "test/fixtures"), { withFileTypes: true })).filter((d) => d.isDirectory());
    const seen = new Set<Code>();
    let accepted = 0;
    for (const fixture of fixtures) {
      const eventsDir = path.join("test/fixtures", fixture.name, "events");
      if (!existsSync(path.join(ROOT, eventsDir))) continue;
      const result = await check({ eventsDir, cwd: ROOT, cacheDir: false, workers: 0 });
      const byFile = new Map<string, Diagnostic[]>();
      for (const d of result.diagnostics) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
      for (const f of await treeFiles(eventsDir)) {
        const all = byFile.get(f.file) ?? [];
        const findings = all.filter((d) => EXPRESSED.has(d.code));
        const ok = META[f.kind](f.json);
        const errors = META[f.kind].errors ?? [];
        // Refused by check for rules the meta-schemas cannot express only: they may say either.
        if (findings.length === 0 && all.some((d) => d.severity === "error")) continue;
        if (findings.length === 0) {
          const json = f.json as Json;
          // Editors check a draft-07 file against the official draft-07 meta-schema, never against ours.
          if (typeof json.$schema === "string" && DIALECT_URIS[json.$schema] === "draft-07") continue;
          expect(ok, `${f.file} passes check but not the meta-schema: ${JSON.stringify(errors)}`).toBe(true);
          accepted++;
          continue;
        }
        expect(ok, `${f.file} (${findings.map((d) => d.code).join(", ")})`).toBe(false);
        for (const d of findings) {
          seen.add(d.code);
          expect(
            errors.some((e) => related(errorPointer(e), d.pointer)),
            `${f.file} ${d.code} at "${d.pointer}": ${JSON.stringify(errors.map(errorPointer))}`,
          ).toBe(true);
        }
      }
    }
    // The fixtures cover the rules the meta-schemas express (one fixture per code).
    for (const code of EXPRESSED) if (code !== "PARSE_RESERVED_KEY") expect(seen, code).toContain(code);
    expect(accepted).toBeGreaterThan(20);
  });

  it("refuse references the build refuses as remote or malformed, and subschemas with $schema or $id", () => {
    const event = (property: Json) => ({
      title: "T",
      description: "D",
      type: "object",
      additionalProperties: false,
      properties: { x: property },
      examples: [{}],
    });
    expect(META.event(event({ $ref: "../../_shared/money.json" }))).toBe(true);
    expect(META.event(event({ $ref: "../../_shared/ids.json#/$defs/contractId" }))).toBe(true);
    expect(META.event(event({ $ref: "#/$defs/line" }))).toBe(true);
    for (const ref of ["https://example.com/id.json", "/_shared/money.json", "file:///etc/passwd", "#line", "\\\\host\\share.json"]) {
      expect(META.event(event({ $ref: ref })), ref).toBe(false);
    }
    expect(META.event(event({ type: "string", $id: "https://domain-events.invalid/x.json" }))).toBe(false);
    expect(META.event(event({ type: "string", $schema: ALIASED_DIALECT_URI }))).toBe(false);
    expect(META.event({ ...event({ type: "string" }), $id: "https://domain-events.invalid/shop/order/order-placed.json" })).toBe(true);
  });
});

describe("the $schema alias", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scratch("editor-alias");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const event = (schemaUri: string) =>
    `${JSON.stringify(
      {
        $schema: schemaUri,
        title: "Order placed",
        description: "Emitted when a customer places an order.",
        type: "object",
        additionalProperties: false,
        required: ["orderId", "total"],
        properties: { orderId: { type: "string" }, total: { $ref: "../../_shared/money.json" } },
        examples: [{ orderId: "o-1", total: { amountMinor: 100 } }],
      },
      null,
      2,
    )}\n`;
  const money = (schemaUri: string) =>
    `${JSON.stringify(
      {
        $schema: schemaUri,
        title: "Money",
        description: "An amount in minor units.",
        type: "object",
        additionalProperties: false,
        required: ["amountMinor"],
        properties: { amountMinor: { type: "integer" } },
      },
      null,
      2,
    )}\n`;

  async function tree(name: string, files: Record<string, string>): Promise<string> {
    const events = path.join(dir, name, "events");
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(events, rel)), { recursive: true });
      await writeFile(path.join(events, rel), text);
    }
    return path.relative(ROOT, events);
  }

  it("is JSON Schema 2020-12 for the build, and the package publishes the canonical URI", async () => {
    const eventsDir = await tree("alias", {
      "shop/order/order-placed.json": event(EVENT_SCHEMA_REF),
      "_shared/money.json": money(editorSchemaRef("_shared/money.json", "shared")),
    });
    const out = path.join(dir, "alias", "out");
    const result = await build({ eventsDir, outDir: out, cwd: ROOT, cacheDir: false, workers: 0 });
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    const entries = JSON.parse(await readFile(path.join(out, "events.json"), "utf8")) as { type: string; schema: Json }[];
    expect(entries.map((e) => e.type)).toEqual(["shop.order.order-placed.v1"]);
    expect(entries[0]?.schema.$schema).toBe(ALIASED_DIALECT_URI);
    expect(JSON.stringify(entries)).not.toContain(EDITOR_FOLDER);
  });

  it("must name the file's own meta-schema from its own place (SCHEMA_DIALECT with the right path as hint)", async () => {
    const eventsDir = await tree("wrong", {
      "shop/order/order-placed.json": event("../../editor/event.schema.json"),
      "shop/order/order-shipped.json": event("../../../editor/shared.schema.json"),
      "shop/order/order-paid.json": event("constructor"),
      "_shared/money.json": money(EVENT_SCHEMA_REF),
    });
    const result = await check({ eventsDir, cwd: ROOT, cacheDir: false, workers: 0 });
    const found = result.diagnostics.map((d) => [path.relative(eventsDir, d.file), d.pointer, d.code, d.hint]);
    expect(found).toEqual([
      ["_shared/money.json", "/$schema", "SCHEMA_DIALECT", expect.stringContaining('"../../editor/shared.schema.json"')],
      ["shop/order/order-paid.json", "/$schema", "SCHEMA_DIALECT", expect.any(String)],
      ["shop/order/order-placed.json", "/$schema", "SCHEMA_DIALECT", expect.stringContaining(`"${EVENT_SCHEMA_REF}"`)],
      ["shop/order/order-shipped.json", "/$schema", "SCHEMA_DIALECT", expect.stringContaining(`"${EVENT_SCHEMA_REF}"`)],
    ]);
  });

  it("of every file of our tree resolves to its meta-schema, on disk and as a URI against the file's $id", async () => {
    for (const f of await treeFiles("events")) {
      if (f.kind === "system") continue;
      const alias = editorSchemaRef(f.rel, f.kind);
      expect(new URL(alias, idOf(f.rel)).href, f.rel).toBe(EDITOR_SCHEMA_IDS[f.kind]);
      expect(existsSync(path.resolve(ROOT, "events", path.dirname(f.rel), alias)), f.rel).toBe(true);
      // Our files name their meta-schema, so that editors check them as they are typed.
      expect((f.json as Json).$schema, `${f.rel}: write "$schema": "${alias}"`).toBe(alias);
    }
  });
});

describe("in VS Code's JSON language service", () => {
  const requested: string[] = [];
  const settings = JSON.parse(readFileSync(path.join(ROOT, ".vscode/settings.json"), "utf8")) as {
    "json.schemas": { fileMatch: string[]; url: string }[];
  };
  const folder = pathToFileURL(`${ROOT}/`).href;
  const ls = jsonls.getLanguageService({
    // Like VS Code's JSON server: a relative $schema or $ref is resolved against the document.
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
    schemaRequestService: async (uri) => {
      requested.push(uri);
      if (!uri.startsWith(folder)) throw new Error(`refused to fetch ${uri}`);
      return readFile(new URL(uri), "utf8");
    },
  });
  // Like VS Code's JSON client: a url starting with "." is relative to the folder whose settings name it.
  ls.configure({
    validate: true,
    allowComments: false,
    schemas: settings["json.schemas"].map((s) => ({ uri: new URL(s.url, folder).href, fileMatch: s.fileMatch, folderUri: folder })),
  });
  const schemaUri = (kind: EditorSchemaKind) => new URL(`${EDITOR_FOLDER}/${EDITOR_SCHEMA_FILES[kind]}`, folder).href;

  async function open(rel: string, text: string) {
    const doc = TextDocument.create(new URL(rel, folder).href, "json", 1, text);
    const json = ls.parseJSONDocument(doc);
    const problems = (await ls.doValidation(doc, json)).map((p) => (typeof p.message === "string" ? p.message : p.message.value));
    return { doc, json, problems, schemas: ls.getLanguageStatus(doc, json).schemas };
  }

  const withTs = (schemaUri?: string) =>
    JSON.stringify({
      ...(schemaUri ? { $schema: schemaUri } : {}),
      title: "Order placed",
      description: "Emitted when a customer places an order.",
      type: "object",
      additionalProperties: false,
      properties: { orderId: { type: "string", tsType: "OrderId" } },
      examples: [{ orderId: "o-1" }],
    });

  it("associates each file of the tree, and only those, with its meta-schema through .vscode/settings.json", async () => {
    for (const s of settings["json.schemas"]) expect(existsSync(new URL(s.url, folder)), s.url).toBe(true);
    const paths = [
      ...(await treeFiles("events")).map((f) => `events/${f.rel}`),
      "events/_shared/nested/deeper/thing.json",
      "events/billing/_common/address.json",
      "events/billing/invoice/_draft.json",
      "events/_shared/system.json",
      "test/fixtures/schema-title/events/shop/order/order-placed.json",
      "events/billing/invoice.json",
      "events/billing/invoice/extra/too-deep.json",
      "package.json",
      "editor/event.schema.json",
    ];
    for (const p of paths) {
      const rel = p.slice(p.lastIndexOf("events/") + "events/".length);
      const kind = p.includes("events/") ? kindOfRel(rel) : undefined;
      const { schemas } = await open(p, "{}");
      expect(schemas, p).toEqual(kind ? [schemaUri(kind)] : []);
    }
  });

  it("checks a file that names the meta-schema in $schema, and one without $schema, but not one that names the 2020-12 URI", async () => {
    const tsProblem = (problems: string[]) => problems.some((p) => p.includes("SCHEMA_TS_KEYWORD"));
    const alias = await open("events/shop/order/order-placed.json", withTs(EVENT_SCHEMA_REF));
    expect(alias.schemas).toEqual([schemaUri("event")]);
    expect(tsProblem(alias.problems)).toBe(true);
    const none = await open("events/shop/order/order-placed.json", withTs());
    expect(none.schemas).toEqual([schemaUri("event")]);
    expect(tsProblem(none.problems)).toBe(true);
    // The in-file $schema wins over the association: the official meta-schema knows no house rule.
    const canonical = await open("events/shop/order/order-placed.json", withTs(ALIASED_DIALECT_URI));
    expect(canonical.schemas).toEqual([ALIASED_DIALECT_URI]);
    expect(tsProblem(canonical.problems)).toBe(false);
  });

  it("reports nothing in our events tree, and underlines what check refuses", async () => {
    for (const f of await treeFiles("events")) {
      const text = await readFile(path.join(ROOT, "events", f.rel), "utf8");
      const { problems, schemas } = await open(`events/${f.rel}`, text);
      expect(schemas, f.rel).toEqual([schemaUri(f.kind)]);
      expect(problems, f.rel).toEqual([]);
    }
    const system = await open("events/shop/system.json", '{ "title": "Shop", "description": " ", "team": "x", "source": "/a b" }');
    expect(system.problems.length).toBeGreaterThanOrEqual(4);
    const format = await open(
      "events/shop/order/order-placed.json",
      JSON.stringify({
        $schema: EVENT_SCHEMA_REF,
        title: "T",
        description: "D",
        type: "object",
        properties: { p: { type: "string", format: "phone" } },
      }),
    );
    const messages = format.problems.join("\n");
    expect(messages).toContain("SCHEMA_FORMAT");
    expect(messages).toContain('"additionalProperties"');
    expect(messages).toContain('"examples"');
  });

  it("completes formats and explains keywords on hover", async () => {
    const text = `{ "$schema": "${EVENT_SCHEMA_REF}", "type": "object", "additionalProperties": false, "properties": { "at": { "type": "string", "format": "" } } }`;
    const { doc, json } = await open("events/shop/order/order-placed.json", text);
    const completion = await ls.doComplete(doc, doc.positionAt(text.indexOf('"format": "') + '"format": "'.length), json);
    const labels = (completion?.items ?? []).map((i) => i.label.replace(/"/g, ""));
    expect(new Set(labels)).toEqual(new Set(ALLOWED_FORMATS));
    const hover = await ls.doHover(doc, doc.positionAt(text.indexOf("additionalProperties") + 2), json);
    expect(JSON.stringify(hover?.contents)).toContain("backward compatible");
    const event = await open("events/shop/order/order-placed.json", withTs(EVENT_SCHEMA_REF));
    const title = await ls.doHover(event.doc, event.doc.positionAt(withTs(EVENT_SCHEMA_REF).indexOf('"title"') + 2), event.json);
    expect(JSON.stringify(title?.contents)).toContain("past tense");
  });

  it("fetches nothing but the meta-schemas in editor/", () => {
    expect(requested.length).toBeGreaterThan(0);
    for (const uri of new Set(requested)) expect(uri.startsWith(new URL(`${EDITOR_FOLDER}/`, folder).href), uri).toBe(true);
  });
});
