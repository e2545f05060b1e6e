/**
 * One case per diagnostic code (DESIGN §4 "Diagnostics"): an events tree, and the exact findings it
 * must give as (file, pointer, code) plus line and column where the finding has a place in the file.
 * Messages are never asserted: they may be reworded, codes and places may not.
 *
 * Trees live in test/fixtures/<case>/events. What git cannot hold sensibly (symbolic links, bytes
 * that are not UTF-8, a byte order mark, unreadable files, an empty or missing folder) is built at
 * test time under .tmp/ and removed afterwards.
 */

import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODES, type Code, type Diagnostic, severityOf } from "../src/diagnostics/index.js";
import { build, check } from "../src/pipeline.js";
import { scratch as makeScratch, ROOT, run } from "./helpers.js";

const FIXTURES = "test/fixtures";

/** One expected finding. `file` is relative to the events folder ("" is the folder itself). */
interface Want {
  code: Code;
  file: string;
  pointer: string;
  line?: number;
  column?: number;
}

interface Case {
  /** A fixture under test/fixtures (its `events` folder), or a function that writes a tree into `events`. */
  given: string | ((events: string) => Promise<void>);
  want: Want[];
  /** `build` for findings that only generation makes; `check` by default. */
  run?: "check" | "build";
  /** Under root, run check as user nobody (root can read every file). */
  asNobody?: boolean;
}

/** A valid event: the base that the trees built at test time start from. */
const EVENT = `{
  "title": "Order placed",
  "description": "Emitted when a customer places an order.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "orderId": { "type": "string" }
  },
  "examples": [{ "orderId": "o-1" }]
}
`;

async function put(file: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

/**
 * Makes a file that exists but cannot be read by whoever runs the check. Root reads any file, so
 * under root the case runs check as the unprivileged user nobody (see `asNobody`).
 */
async function makeUnreadable(file: string): Promise<void> {
  await put(file, EVENT);
  await chmod(file, 0o000);
}

const isRoot = process.getuid?.() === 0;

/** Runs check as user nobody (test/support/check-as-nobody.ts) and returns its diagnostics. */
function checkAsNobody(eventsDir: string): { ok: boolean; diagnostics: Diagnostic[] } {
  const r = run(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "test/support/check-as-nobody.ts", eventsDir]);
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const at = (line: number, column: number) => ({ line, column });
const order = "shop/order";

const CASES: [string, Case][] = [
  // ---- parse ----
  [
    "PARSE_ENCODING: bytes that are not UTF-8",
    {
      given: (events) =>
        put(`${events}/${order}/order-placed.json`, new Uint8Array([...Buffer.from('{ "title": "'), 0xff, 0xfe, ...Buffer.from('" }')])),
      want: [{ code: "PARSE_ENCODING", file: `${order}/order-placed.json`, pointer: "", ...at(1, 13) }],
    },
  ],
  [
    "PARSE_SYNTAX: a trailing comma",
    {
      given: "parse-syntax",
      want: [{ code: "PARSE_SYNTAX", file: `${order}/order-placed.json`, pointer: "", ...at(7, 3) }],
    },
  ],
  [
    "PARSE_SYNTAX: a byte order mark",
    {
      given: (events) => put(`${events}/${order}/order-placed.json`, `\uFEFF${EVENT}`),
      want: [{ code: "PARSE_SYNTAX", file: `${order}/order-placed.json`, pointer: "", ...at(1, 1) }],
    },
  ],
  [
    "PARSE_DUPLICATE_KEY: a property defined twice",
    {
      given: "parse-duplicate-key",
      want: [{ code: "PARSE_DUPLICATE_KEY", file: `${order}/order-placed.json`, pointer: "/properties/orderId", ...at(8, 5) }],
    },
  ],
  [
    "PARSE_NOT_OBJECT: a top-level array",
    {
      given: "parse-not-object",
      want: [{ code: "PARSE_NOT_OBJECT", file: `${order}/order-placed.json`, pointer: "", ...at(1, 1) }],
    },
  ],

  // ---- layout ----
  [
    "LAYOUT_READ_FAILED: an unreadable event file",
    {
      given: async (events) => {
        await put(`${events}/${order}/order-placed.json`, EVENT);
        await makeUnreadable(`${events}/${order}/order-shipped.json`);
      },
      asNobody: true,
      want: [{ code: "LAYOUT_READ_FAILED", file: `${order}/order-shipped.json`, pointer: "" }],
    },
  ],
  [
    "LAYOUT_READ_FAILED: an unreadable folder (glob would pass over it in silence)",
    {
      given: async (events) => {
        await put(`${events}/shop/cart/cart-opened.json`, EVENT);
        await put(`${events}/${order}/order-placed.json`, EVENT);
        await chmod(`${events}/${order}`, 0o000);
      },
      asNobody: true,
      want: [{ code: "LAYOUT_READ_FAILED", file: order, pointer: "" }],
    },
  ],
  [
    "LAYOUT_READ_FAILED: an events folder that cannot be listed",
    {
      given: async (events) => {
        await put(`${events}/${order}/order-placed.json`, EVENT);
        await chmod(events, 0o311);
      },
      asNobody: true,
      want: [{ code: "LAYOUT_READ_FAILED", file: "", pointer: "" }],
    },
  ],
  [
    "LAYOUT_NO_EVENTS: a tree with a system.json and no event",
    {
      given: "layout-no-events",
      want: [{ code: "LAYOUT_NO_EVENTS", file: "", pointer: "" }],
    },
  ],
  [
    "LAYOUT_NO_EVENTS: a tree with only notes (a warning does not silence it)",
    {
      given: "layout-no-events-notes-only",
      want: [
        { code: "LAYOUT_NO_EVENTS", file: "", pointer: "" },
        { code: "LAYOUT_NOT_JSON", file: `${order}/README.md`, pointer: "", ...at(1, 1) },
      ],
    },
  ],
  [
    "LAYOUT_NO_EVENTS: an empty folder",
    {
      given: (events) => mkdir(events, { recursive: true }).then(() => undefined),
      want: [{ code: "LAYOUT_NO_EVENTS", file: "", pointer: "" }],
    },
  ],
  [
    "LAYOUT_NO_EVENTS: a folder that does not exist",
    {
      given: async () => {},
      want: [{ code: "LAYOUT_NO_EVENTS", file: "", pointer: "" }],
    },
  ],
  [
    "LAYOUT_NO_EVENTS: a file instead of a folder",
    {
      given: (events) => put(events, EVENT),
      want: [{ code: "LAYOUT_NO_EVENTS", file: "", pointer: "" }],
    },
  ],
  [
    "LAYOUT_SYMLINK: the events folder itself is a symbolic link",
    {
      given: async (events) => {
        await put(`${events}-real/${order}/order-placed.json`, EVENT);
        await symlink(`${path.basename(events)}-real`, events);
      },
      want: [{ code: "LAYOUT_SYMLINK", file: "", pointer: "" }],
    },
  ],
  [
    "LAYOUT_NAME: system, topic and event names that are not kebab-case",
    {
      given: "layout-name",
      want: [
        { code: "LAYOUT_NAME", file: "Shop/order/order-placed.json", pointer: "", ...at(1, 1) },
        { code: "LAYOUT_NAME", file: "billing/invoice_run/invoice-issued.json", pointer: "", ...at(1, 1) },
        { code: "LAYOUT_NAME", file: "billing/invoice/InvoiceVoided.json", pointer: "", ...at(1, 1) },
        { code: "LAYOUT_NAME", file: "billing/invoice/invoice--paid.v2.json", pointer: "", ...at(1, 1) },
      ],
    },
  ],
  [
    "LAYOUT_DEPTH: event files above and below <system>/<topic>/",
    {
      given: "layout-depth",
      want: [
        { code: "LAYOUT_DEPTH", file: "order-placed.json", pointer: "", ...at(1, 1) },
        { code: "LAYOUT_DEPTH", file: "shop/order-placed.json", pointer: "", ...at(1, 1) },
        { code: "LAYOUT_DEPTH", file: `${order}/archive/order-placed.json`, pointer: "", ...at(1, 1) },
      ],
    },
  ],
  [
    "LAYOUT_NOT_JSON: notes and YAML next to the events (warnings)",
    {
      given: "layout-not-json",
      want: [
        { code: "LAYOUT_NOT_JSON", file: `${order}/README.md`, pointer: "", ...at(1, 1) },
        { code: "LAYOUT_NOT_JSON", file: `${order}/order-shipped.yaml`, pointer: "", ...at(1, 1) },
      ],
    },
  ],
  [
    "LAYOUT_SYMLINK: a linked file and a linked folder",
    {
      given: async (events) => {
        await put(`${events}/${order}/order-placed.json`, EVENT);
        await symlink("order-placed.json", `${events}/${order}/order-shipped.json`);
        await put(`${events}-outside/money.json`, "{}");
        await symlink(path.join("..", `${path.basename(events)}-outside`), `${events}/_shared`);
      },
      want: [
        { code: "LAYOUT_SYMLINK", file: "_shared", pointer: "" },
        { code: "LAYOUT_SYMLINK", file: `${order}/order-shipped.json`, pointer: "" },
      ],
    },
  ],
  [
    "LAYOUT_SYSTEM_FILE: empty, missing and unknown fields; a source with spaces",
    {
      given: "layout-system-file",
      want: [
        { code: "LAYOUT_SYSTEM_FILE", file: "shop/system.json", pointer: "/description", ...at(3, 18) },
        { code: "LAYOUT_SYSTEM_FILE", file: "shop/system.json", pointer: "", ...at(1, 1) },
        { code: "LAYOUT_SYSTEM_FILE", file: "shop/system.json", pointer: "/team", ...at(4, 11) },
        { code: "LAYOUT_SYSTEM_FILE", file: "billing/system.json", pointer: "/source", ...at(5, 13) },
      ],
    },
  ],

  // ---- versions ----
  [
    "VERSION_EXPLICIT_V1: order-placed.v1.json (and v2 then has no v1)",
    {
      given: "version-explicit-v1",
      want: [
        { code: "VERSION_EXPLICIT_V1", file: `${order}/order-placed.v1.json`, pointer: "", ...at(1, 1) },
        { code: "VERSION_GAP", file: `${order}/order-placed.v2.json`, pointer: "", ...at(1, 1) },
      ],
    },
  ],
  [
    "VERSION_BAD_NUMBER: .v0 and a leading zero",
    {
      given: "version-bad-number",
      want: [
        { code: "VERSION_BAD_NUMBER", file: `${order}/order-placed.v0.json`, pointer: "", ...at(1, 1) },
        { code: "VERSION_BAD_NUMBER", file: `${order}/order-placed.v02.json`, pointer: "", ...at(1, 1) },
      ],
    },
  ],
  [
    "VERSION_GAP: v1, v3, v4, v6",
    {
      given: "version-gap",
      want: [
        { code: "VERSION_GAP", file: `${order}/order-placed.v3.json`, pointer: "", ...at(1, 1) },
        { code: "VERSION_GAP", file: `${order}/order-placed.v6.json`, pointer: "", ...at(1, 1) },
      ],
    },
  ],
  [
    "VERSION_NAME_COLLISION: the same event name in two systems",
    {
      given: "version-name-collision",
      want: [{ code: "VERSION_NAME_COLLISION", file: "warehouse/order/order-placed.json", pointer: "", ...at(1, 1) }],
    },
  ],

  // ---- schema ----
  [
    "SCHEMA_DIALECT: draft-04",
    {
      given: "schema-dialect",
      want: [{ code: "SCHEMA_DIALECT", file: `${order}/order-placed.json`, pointer: "/$schema", ...at(2, 14) }],
    },
  ],
  [
    "SCHEMA_META: a negative minLength and an unknown type",
    {
      given: "schema-meta",
      want: [
        { code: "SCHEMA_META", file: `${order}/order-placed.json`, pointer: "/properties/orderId/minLength", ...at(7, 49) },
        { code: "SCHEMA_META", file: `${order}/order-placed.json`, pointer: "/properties/note/type", ...at(8, 23) },
      ],
    },
  ],
  [
    "SCHEMA_UNKNOWN_KEYWORD: requried, and example for examples",
    {
      given: "schema-unknown-keyword",
      want: [
        { code: "SCHEMA_UNKNOWN_KEYWORD", file: `${order}/order-placed.json`, pointer: "/requried", ...at(6, 15) },
        { code: "SCHEMA_UNKNOWN_KEYWORD", file: `${order}/order-placed.json`, pointer: "/properties/orderId/example", ...at(8, 47) },
      ],
    },
  ],
  [
    "SCHEMA_SIGNED: signed other than true at the top of an event (false, in a subschema, in a shared file)",
    {
      given: "schema-signed-misplaced",
      want: [
        { code: "SCHEMA_SIGNED", file: "_shared/ids.json", pointer: "/signed", ...at(4, 13) },
        { code: "SCHEMA_SIGNED", file: `${order}/order-placed.json`, pointer: "/signed", ...at(4, 13) },
        { code: "SCHEMA_SIGNED", file: `${order}/order-placed.json`, pointer: "/properties/orderId/signed", ...at(8, 46) },
      ],
    },
  ],
  [
    "CLEANUP_ID_UNPLACED: an order's id as a plain string, which the cleanup's graph cannot see",
    {
      given: "cleanup-id-unplaced",
      want: [{ code: "CLEANUP_ID_UNPLACED", file: "shop/shipment/shipment-sent.json", pointer: "/properties/orderId", ...at(9, 16) }],
    },
  ],
  [
    "SCHEMA_TS_KEYWORD: tsType",
    {
      given: "schema-ts-keyword",
      want: [{ code: "SCHEMA_TS_KEYWORD", file: `${order}/order-placed.json`, pointer: "/properties/orderId/tsType", ...at(7, 46) }],
    },
  ],
  [
    "SCHEMA_FORMAT: a format outside the allow-list",
    {
      given: "schema-format",
      want: [{ code: "SCHEMA_FORMAT", file: `${order}/order-placed.json`, pointer: "/properties/phone/format", ...at(8, 44) }],
    },
  ],
  [
    "SCHEMA_REQUIRED_UNDEFINED: a misspelt required property",
    {
      given: "schema-required-undefined",
      want: [{ code: "SCHEMA_REQUIRED_UNDEFINED", file: `${order}/order-placed.json`, pointer: "/required/1", ...at(6, 27) }],
    },
  ],
  [
    "SCHEMA_PATTERN: an unterminated class, and a property escape unknown with the u flag",
    {
      given: "schema-pattern",
      want: [
        { code: "SCHEMA_PATTERN", file: `${order}/order-placed.json`, pointer: "/properties/orderId/pattern", ...at(7, 47) },
        // The pointer of a patternProperties key is the key's own value (the subschema).
        { code: "SCHEMA_PATTERN", file: `${order}/order-placed.json`, pointer: "/patternProperties/^x-\\p{Foo}$", ...at(10, 21) },
      ],
    },
  ],
  [
    "SCHEMA_ID: an $id that is not the derived one",
    {
      given: "schema-id",
      want: [{ code: "SCHEMA_ID", file: `${order}/order-placed.json`, pointer: "/$id", ...at(2, 10) }],
    },
  ],
  [
    "SCHEMA_REF_REMOTE: a URL and an absolute path",
    {
      given: "schema-ref-remote",
      want: [
        { code: "SCHEMA_REF_REMOTE", file: `${order}/order-placed.json`, pointer: "/properties/orderId/$ref", ...at(7, 26) },
        { code: "SCHEMA_REF_REMOTE", file: `${order}/order-placed.json`, pointer: "/properties/total/$ref", ...at(8, 24) },
      ],
    },
  ],
  [
    "SCHEMA_REF_OUTSIDE: a path that climbs out of events/",
    {
      given: "schema-ref-outside",
      want: [{ code: "SCHEMA_REF_OUTSIDE", file: `${order}/order-placed.json`, pointer: "/properties/orderId/$ref", ...at(7, 26) }],
    },
  ],
  [
    "SCHEMA_REF_MISSING: a missing local definition, file, pointer in a file, system.json, anchor",
    {
      given: "schema-ref-missing",
      want: [
        { code: "SCHEMA_REF_MISSING", file: `${order}/order-placed.json`, pointer: "/properties/orderId/$ref", ...at(7, 26) },
        { code: "SCHEMA_REF_MISSING", file: `${order}/order-placed.json`, pointer: "/properties/total/$ref", ...at(8, 24) },
        { code: "SCHEMA_REF_MISSING", file: `${order}/order-placed.json`, pointer: "/properties/tax/$ref", ...at(9, 22) },
        { code: "SCHEMA_REF_MISSING", file: `${order}/order-placed.json`, pointer: "/properties/owner/$ref", ...at(10, 24) },
        { code: "SCHEMA_REF_MISSING", file: `${order}/order-placed.json`, pointer: "/properties/note/$ref", ...at(11, 23) },
      ],
    },
  ],
  [
    "SCHEMA_REF_TO_EVENT: from an event and from a shared file into another event",
    {
      given: "schema-ref-to-event",
      want: [
        { code: "SCHEMA_REF_TO_EVENT", file: "_shared/order.json", pointer: "/allOf/0/$ref", ...at(3, 23) },
        { code: "SCHEMA_REF_TO_EVENT", file: `${order}/order-cancelled.json`, pointer: "/properties/order/$ref", ...at(7, 24) },
      ],
    },
  ],
  [
    "SCHEMA_NOT_OBJECT: a string event, and an event without type",
    {
      given: "schema-not-object",
      want: [
        { code: "SCHEMA_NOT_OBJECT", file: `${order}/order-placed.json`, pointer: "/type", ...at(4, 11) },
        { code: "SCHEMA_NOT_OBJECT", file: `${order}/order-shipped.json`, pointer: "", ...at(1, 1) },
      ],
    },
  ],
  [
    "SCHEMA_TITLE: missing, and blank",
    {
      given: "schema-title",
      want: [
        { code: "SCHEMA_TITLE", file: `${order}/order-placed.json`, pointer: "", ...at(1, 1) },
        { code: "SCHEMA_TITLE", file: `${order}/order-shipped.json`, pointer: "", ...at(1, 1) },
      ],
    },
  ],
  [
    "SCHEMA_DESCRIPTION: missing",
    {
      given: "schema-description",
      want: [{ code: "SCHEMA_DESCRIPTION", file: `${order}/order-placed.json`, pointer: "", ...at(1, 1) }],
    },
  ],
  [
    "SCHEMA_EXAMPLES: missing, and empty (warnings)",
    {
      given: "schema-examples",
      want: [
        { code: "SCHEMA_EXAMPLES", file: `${order}/order-placed.json`, pointer: "", ...at(1, 1) },
        { code: "SCHEMA_EXAMPLES", file: `${order}/order-shipped.json`, pointer: "", ...at(1, 1) },
      ],
    },
  ],
  [
    "SCHEMA_EXAMPLE_INVALID: wrong types, an unknown and a missing property",
    {
      given: "schema-example-invalid",
      want: [
        { code: "SCHEMA_EXAMPLE_INVALID", file: `${order}/order-placed.json`, pointer: "/examples/1/orderId", ...at(13, 18) },
        { code: "SCHEMA_EXAMPLE_INVALID", file: `${order}/order-placed.json`, pointer: "/examples/1/lines/1", ...at(13, 34) },
        { code: "SCHEMA_EXAMPLE_INVALID", file: `${order}/order-placed.json`, pointer: "/examples/2", ...at(14, 5) },
        { code: "SCHEMA_EXAMPLE_INVALID", file: `${order}/order-placed.json`, pointer: "/examples/2/orderID", ...at(14, 18) },
      ],
    },
  ],
  [
    "SCHEMA_COMPILE: ajv strict mode refuses an if without then or else",
    {
      given: "schema-compile",
      want: [{ code: "SCHEMA_COMPILE", file: `${order}/order-placed.json`, pointer: "", ...at(1, 1) }],
    },
  ],
  [
    "SCHEMA_DEPRECATED: a string",
    {
      given: "schema-deprecated",
      want: [{ code: "SCHEMA_DEPRECATED", file: `${order}/order-placed.json`, pointer: "/deprecated", ...at(4, 17) }],
    },
  ],

  // ---- generate ----
  [
    "GENERATE_TYPE_NAME: a $defs entry named like another shared file",
    {
      given: "generate-type-name",
      run: "build",
      want: [{ code: "GENERATE_TYPE_NAME", file: "_shared/money.json", pointer: "", ...at(1, 1) }],
    },
  ],
  // ---- limits and hostile input ----
  [
    "LAYOUT_LIMIT_SIZE: a file over 1 MiB",
    {
      given: async (events) => {
        await put(`${events}/${order}/order-placed.json`, EVENT);
        await put(`${events}/${order}/order-shipped.json`, EVENT.replace("Emitted", "x".repeat(1024 * 1024)));
      },
      want: [{ code: "LAYOUT_LIMIT_SIZE", file: `${order}/order-shipped.json`, pointer: "", ...at(1, 1) }],
    },
  ],
  [
    "PARSE_LIMIT_DEPTH: objects nested past the limit",
    {
      given: async (events) => {
        const deep = `${'{"not":'.repeat(70)}{}${"}".repeat(70)}`;
        await put(
          `${events}/${order}/order-placed.json`,
          `{\n  "title": "T",\n  "description": "D",\n  "type": "object",\n  "properties": { "a": ${deep} }\n}\n`,
        );
      },
      want: [{ code: "PARSE_LIMIT_DEPTH", file: `${order}/order-placed.json`, pointer: "", ...at(5, 24 + 7 * 62) }],
    },
  ],
  [
    "PARSE_LIMIT_MEMBERS: an object with more than 1,000 keys",
    {
      given: async (events) => {
        const props = Array.from({ length: 1001 }, (_, i) => `"p${i}": {}`).join(", ");
        await put(`${events}/${order}/order-placed.json`, `{\n  "type": "object",\n  "properties": { ${props} }\n}\n`);
      },
      want: [{ code: "PARSE_LIMIT_MEMBERS", file: `${order}/order-placed.json`, pointer: "", ...at(3, 19 + 10 * 10 + 90 * 11 + 900 * 12) }],
    },
  ],
  [
    "PARSE_HIDDEN_CHARACTER: a right-to-left override in a description, a zero-width space escaped in a key",
    {
      given: async (events) => {
        await put(`${events}/${order}/order-placed.json`, EVENT.replace("Emitted when", "Emitted \u202Ewhen"));
        await put(`${events}/${order}/order-shipped.json`, EVENT.replace('"orderId": { "type"', '"order\\u200bId": { "type"'));
      },
      want: [
        { code: "PARSE_HIDDEN_CHARACTER", file: `${order}/order-placed.json`, pointer: "", ...at(3, 27) },
        { code: "PARSE_HIDDEN_CHARACTER", file: `${order}/order-shipped.json`, pointer: "/properties/order\u200bId", ...at(7, 22) },
      ],
    },
  ],
  [
    "PARSE_RESERVED_KEY: __proto__ as a property, constructor in an example",
    {
      given: async (events) => {
        await put(
          `${events}/${order}/order-placed.json`,
          EVENT.replace('"orderId": { "type": "string" }', '"__proto__": { "type": "string" }').replace(
            '{ "orderId": "o-1" }',
            '{ "constructor": "o-1" }',
          ),
        );
      },
      want: [
        { code: "PARSE_RESERVED_KEY", file: `${order}/order-placed.json`, pointer: "/properties/__proto__", ...at(7, 18) },
        { code: "PARSE_RESERVED_KEY", file: `${order}/order-placed.json`, pointer: "/examples/0/constructor", ...at(9, 33) },
      ],
    },
  ],
  [
    "SCHEMA_PATTERN_UNSAFE: a pattern with nested repetition",
    {
      given: async (events) => {
        await put(
          `${events}/${order}/order-placed.json`,
          EVENT.replace('"orderId": { "type": "string" }', '"orderId": { "type": "string", "pattern": "^(a+)+$" }'),
        );
      },
      want: [{ code: "SCHEMA_PATTERN_UNSAFE", file: `${order}/order-placed.json`, pointer: "/properties/orderId/pattern", ...at(7, 47) }],
    },
  ],
  [
    "SCHEMA_PATTERN_UNPROVEN: a back-reference the analyser cannot prove safe, without an allowance",
    {
      given: async (events) => {
        await put(
          `${events}/${order}/order-placed.json`,
          EVENT.replace('"orderId": { "type": "string" }', '"orderId": { "type": "string", "pattern": "^(a+):\\\\1$" }'),
        );
      },
      want: [{ code: "SCHEMA_PATTERN_UNPROVEN", file: `${order}/order-placed.json`, pointer: "/properties/orderId/pattern", ...at(7, 47) }],
    },
  ],
  [
    "SCHEMA_REF_CYCLE: references that only point at each other, and a root that applies itself",
    {
      given: async (events) => {
        await put(
          `${events}/${order}/order-placed.json`,
          EVENT.replace(
            '"orderId": { "type": "string" }',
            '"orderId": { "$ref": "#/$defs/a" }\n  },\n  "$defs": {\n    "a": { "$ref": "#/$defs/b" },\n    "b": { "allOf": [{ "$ref": "#/$defs/a" }] }',
          ),
        );
        await put(
          `${events}/${order}/order-shipped.json`,
          EVENT.replace('"type": "object",', '"type": "object",\n  "anyOf": [{ "$ref": "#" }],'),
        );
        // Recursion through properties is a tree, and legal.
        await put(
          `${events}/${order}/order-split.json`,
          EVENT.replace(
            '"orderId": { "type": "string" }',
            '"orderId": { "type": "string" },\n    "parts": { "type": "array", "items": { "$ref": "#" } }',
          ),
        );
      },
      want: [
        { code: "SCHEMA_REF_CYCLE", file: `${order}/order-placed.json`, pointer: "/$defs/a/$ref", ...at(10, 20) },
        { code: "SCHEMA_REF_CYCLE", file: `${order}/order-placed.json`, pointer: "/$defs/b/allOf/0/$ref", ...at(11, 32) },
        { code: "SCHEMA_REF_CYCLE", file: `${order}/order-shipped.json`, pointer: "/anyOf/0/$ref", ...at(5, 23) },
      ],
    },
  ],
  [
    "SCHEMA_REF_DEPTH: a chain of 131 shared files, each only a $ref (the limit counts across files)",
    {
      given: async (events) => {
        await put(
          `${events}/${order}/order-placed.json`,
          EVENT.replace('{ "type": "string" }', '{ "$ref": "../../_shared/chain/a0.json" }'),
        );
        for (let i = 0; i < 130; i++) await put(`${events}/_shared/chain/a${i}.json`, `{ "$ref": "a${i + 1}.json" }\n`);
        await put(`${events}/_shared/chain/a130.json`, '{ "type": "string" }\n');
      },
      // a<k> is 131 - k schemas deep: a2 is the first past the limit of 128.
      want: [{ code: "SCHEMA_REF_DEPTH", file: "_shared/chain/a2.json", pointer: "/$ref", ...at(1, 11) }],
    },
  ],
  [
    "SCHEMA_ID and SCHEMA_DIALECT: $id and $schema inside a subschema",
    {
      given: async (events) => {
        await put(
          `${events}/${order}/order-placed.json`,
          EVENT.replace(
            '"orderId": { "type": "string" }',
            '"orderId": { "$id": "https://x.example/*/", "type": "string" },\n    "note": { "$schema": "http://json-schema.org/draft-07/schema#", "type": "string" }',
          ),
        );
      },
      want: [
        { code: "SCHEMA_ID", file: `${order}/order-placed.json`, pointer: "/properties/orderId/$id", ...at(7, 25) },
        { code: "SCHEMA_DIALECT", file: `${order}/order-placed.json`, pointer: "/properties/note/$schema", ...at(8, 26) },
      ],
    },
  ],
  [
    "SCHEMA_REF_MISSING: a reference that is not a URI (found by the fuzz test: it crashed decodeURI)",
    {
      given: async (events) => {
        await put(`${events}/${order}/order-placed.json`, EVENT.replace('"orderId": { "type": "string" }', '"orderId": { "$ref": "%" }'));
      },
      want: [{ code: "SCHEMA_REF_MISSING", file: `${order}/order-placed.json`, pointer: "/properties/orderId/$ref", ...at(7, 26) }],
    },
  ],
  [
    "SCHEMA_CONTENT_MODEL: objects that do not state additionalProperties (unevaluatedProperties counts)",
    {
      given: "schema-content-model",
      want: [
        { code: "SCHEMA_CONTENT_MODEL", file: `${order}/order-placed.json`, pointer: "", ...at(1, 1) },
        { code: "SCHEMA_CONTENT_MODEL", file: `${order}/order-placed.json`, pointer: "/properties/lines/items", ...at(9, 16) },
      ],
    },
  ],
  [
    "COMPAT_VERSION_UNNEEDED: a version 2 that only rewords version 1 (a warning)",
    {
      given: async (events) => {
        await put(`${events}/${order}/order-placed.json`, EVENT);
        await put(`${events}/${order}/order-placed.v2.json`, EVENT.replace("Emitted when", "Version 2: reworded. Emitted when"));
      },
      want: [{ code: "COMPAT_VERSION_UNNEEDED", file: `${order}/order-placed.v2.json`, pointer: "", ...at(1, 1) }],
    },
  ],
  [
    "SCHEMA_EXAMPLE_INVALID: an example of a shared definition",
    {
      given: async (events) => {
        await put(`${events}/${order}/order-placed.json`, EVENT);
        await put(`${events}/_shared/money.json`, '{\n  "type": "integer",\n  "examples": [1, "two"]\n}\n');
      },
      want: [{ code: "SCHEMA_EXAMPLE_INVALID", file: "_shared/money.json", pointer: "/examples/1", ...at(3, 19) }],
    },
  ],
  [
    "LAYOUT_NAME: a shared file whose name is not kebab-case",
    {
      given: async (events) => {
        await put(`${events}/${order}/order-placed.json`, EVENT);
        await put(`${events}/_shared/Money_Amount.json`, '{ "type": "integer" }\n');
      },
      want: [{ code: "LAYOUT_NAME", file: "_shared/Money_Amount.json", pointer: "", ...at(1, 1) }],
    },
  ],
  [
    "LAYOUT_NAME: every folder of a shared file's path, before and at its _ folder, once per folder",
    {
      given: async (events) => {
        await put(`${events}/${order}/order-placed.json`, EVENT);
        await put(`${events}/Lib/_shared/money.json`, '{ "type": "integer" }\n');
        await put(`${events}/Lib/_shared/rate.json`, '{ "type": "integer" }\n');
        await put(`${events}/_Common/money.json`, '{ "type": "integer" }\n');
        await put(`${events}/_shared/a*/x.json`, '{ "type": "integer" }\n');
      },
      want: [
        { code: "LAYOUT_NAME", file: "Lib/_shared/money.json", pointer: "", ...at(1, 1) },
        { code: "LAYOUT_NAME", file: "_Common/money.json", pointer: "", ...at(1, 1) },
        { code: "LAYOUT_NAME", file: "_shared/a*/x.json", pointer: "", ...at(1, 1) },
      ],
    },
  ],
  [
    "GENERATE_TYPE_NAME: a shared $defs key that gives no TypeScript identifier",
    {
      given: async (events) => {
        await put(`${events}/${order}/order-placed.json`, EVENT);
        await put(`${events}/_shared/codes.json`, '{ "$defs": { "2fa": { "type": "string" } } }\n');
      },
      run: "build",
      want: [{ code: "GENERATE_TYPE_NAME", file: "_shared/codes.json", pointer: "", ...at(1, 1) }],
    },
  ],
  [
    "GENERATE_TYPE_NAME: shared files named like an event and like the envelope type",
    {
      given: "generate-type-name-reserved",
      run: "build",
      want: [
        { code: "GENERATE_TYPE_NAME", file: "_shared/event-envelope.json", pointer: "", ...at(1, 1) },
        { code: "GENERATE_TYPE_NAME", file: "_shared/order-placed.json", pointer: "", ...at(1, 1) },
      ],
    },
  ],
];

let scratch: string;
const nobodyDirs: string[] = [];

beforeAll(async () => {
  scratch = await makeScratch("diagnostics");
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
  for (const dir of nobodyDirs) await rm(dir, { recursive: true, force: true });
});

/**
 * Where a case's tree is, relative to the repository root (which is also the cwd of the run). A
 * tree for user nobody goes to a folder of the system's temp folder that nobody can enter.
 */
async function eventsDirOf(name: string, given: Case["given"], forNobody = false): Promise<string> {
  if (typeof given === "string") return `${FIXTURES}/${given}/events`;
  const slug = name.replace(/[^a-zA-Z0-9]+/g, "-").toLowerCase();
  let base = scratch;
  if (forNobody) {
    base = await mkdtemp(path.join(tmpdir(), "domain-events-"));
    nobodyDirs.push(base);
    await chmod(base, 0o755);
  }
  const events = path.join(base, slug, "events");
  await mkdir(path.dirname(events), { recursive: true });
  await given(events);
  return path.relative(ROOT, events).split(path.sep).join("/");
}

/** A diagnostic reduced to what the table asserts; file made relative to the events folder. */
function found(d: Diagnostic, eventsDir: string): Want {
  const file = d.file === eventsDir ? "" : d.file.startsWith(`${eventsDir}/`) ? d.file.slice(eventsDir.length + 1) : d.file;
  const out: Want = { code: d.code, file, pointer: d.pointer };
  if (d.line !== undefined) out.line = d.line;
  if (d.column !== undefined) out.column = d.column;
  return out;
}

/** Sorted, without repeats: several findings of one rule in one place count once. */
function normalise(list: readonly Want[]): Want[] {
  const byKey = new Map(list.map((w) => [JSON.stringify([w.file, w.pointer, w.code, w.line, w.column]), w]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as Want);
}

describe("diagnostics", () => {
  it.each(CASES)("%s", async (name, { given, want, run: stage = "check", asNobody }) => {
    const eventsDir = await eventsDirOf(name, given, asNobody && isRoot);
    const result =
      asNobody && isRoot
        ? checkAsNobody(eventsDir)
        : stage === "build"
          ? await build({ eventsDir, cwd: ROOT })
          : await check({ eventsDir, cwd: ROOT });

    expect(normalise(result.diagnostics.map((d) => found(d, eventsDir)))).toEqual(normalise(want));
    for (const d of result.diagnostics) {
      // The registry (src/diagnostics/codes.ts) decides each severity; none of these cases is a registered exception.
      expect(d.severity, d.code).toBe(severityOf(d.code));
      expect(d.hint?.trim(), `${d.code} has a hint`).toBeTruthy();
      expect(d.hint?.trim(), `${d.code}'s hint says more than its message`).not.toBe(d.message.trim());
    }
    expect(result.ok).toBe(want.every((w) => severityOf(w.code) === "warning"));
  });

  it("has a case for every code", async () => {
    const covered = new Set(CASES.flatMap(([, c]) => c.want.map((w) => w.code)));
    // The release rules need a baseline: their cases are in test/release-diff.test.ts.
    const elsewhere = await readFile(path.join(ROOT, "test/release-diff.test.ts"), "utf8");
    for (const code of ["COMPAT_RELEASED_VERSION_CHANGED", "COMPAT_VERSION_REMOVED"] as const) {
      expect(elsewhere).toContain(`code: "${code}"`);
      covered.add(code);
    }
    // Event instances (validate) have their cases in test/validate-command.test.ts.
    const validateTests = await readFile(path.join(ROOT, "test/validate-command.test.ts"), "utf8");
    for (const code of ["EVENT_SYNTAX", "EVENT_DUPLICATE_KEY", "EVENT_UNKNOWN_TYPE", "EVENT_INVALID", "EVENT_DEPRECATED"] as const) {
      expect(validateTests).toContain(`code: "${code}"`);
      covered.add(code);
    }
    // The size of one event read by the streaming reader: test/validate-streaming.test.ts.
    const streamingTests = await readFile(path.join(ROOT, "test/validate-streaming.test.ts"), "utf8");
    expect(streamingTests).toContain('"EVENT_LIMIT_SIZE"');
    covered.add("EVENT_LIMIT_SIZE");
    expect(Object.keys(CODES).filter((code) => !covered.has(code as Code))).toEqual([]);
  });

  it("checks the valid-mixed tree with no error and no warning", async () => {
    const eventsDir = `${FIXTURES}/valid-mixed/events`;
    const result = await check({ eventsDir, cwd: ROOT });
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    // The tree holds what it is meant to exercise: both dialects, versions, shared files, a system.
    expect(result.tree?.events.map((e) => [e.type, e.dialect, e.latest])).toEqual([
      ["shop.order.order-cancelled.v1", "draft-07", true],
      ["shop.order.order-placed.v1", "2020-12", false],
      ["shop.order.order-placed.v2", "2020-12", false],
      ["shop.order.order-placed.v3", "2020-12", true],
    ]);
    expect(result.tree?.shared.map((s) => s.rel)).toEqual(["_shared/money.json"]);
    expect(result.tree?.systems.map((s) => s.system)).toEqual(["shop"]);

    const built = await build({ eventsDir, cwd: ROOT });
    expect(built.diagnostics).toEqual([]);
    expect(built.ok).toBe(true);
  });
});
