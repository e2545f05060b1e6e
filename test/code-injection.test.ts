/**
 * Nothing from an events tree ever runs as code (issue 14, part 1). An attacker with a pull request
 * controls every byte of the tree: folder and file names, `$id`s, every string of every schema. The
 * payloads below try to end the comment, string or template they land in and set a canary
 * (`globalThis.__deInjected`). Each case asserts on the canary, not only on the exit code: after
 * check, after build, and after the built validators were loaded and run; and the generated code is
 * scanned so that the canary's name appears only inside string literals and comments.
 *
 * Before the fix, a shared file under a folder spelling `a*∕<statement>;∕*` ran the statement in
 * `check`, in `build` and in every consumer's first `validate()`.
 */

import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileBatch } from "../src/compile/compile.js";
import { rename } from "../src/compile/split.js";
import { check } from "../src/pipeline.js";
import { ALLOWED_FORMATS, guardCode, UnsafeCodeError } from "../src/schema/ajv.js";
import { idOf } from "../src/schema/refs.js";
import { cliInProcess, envelope, ROOT, scratch } from "./helpers.js";

const CANARY = "__deInjected";
const canary = () => (globalThis as Record<string, unknown>)[CANARY];
afterEach(() => {
  delete (globalThis as Record<string, unknown>)[CANARY];
});

// biome-ignore-start lint/suspicious/noTemplateCurlyInString: the point is text that looks like a template
/** Texts that try to leave a comment, a string, a template literal or a script element. */
const PAYLOADS: readonly string[] = [
  `*/globalThis.${CANARY}=1;/*`,
  `*/globalThis.${CANARY}=1;(()=>{})/*`,
  `"+(globalThis.${CANARY}=1)+"`,
  `'+(globalThis.${CANARY}=1)+'`,
  `\`+(globalThis.${CANARY}=1)+\``,
  `\${globalThis.${CANARY}=1}`,
  `\\";globalThis.${CANARY}=1;//`,
  `\u2028globalThis.${CANARY}=1;//`,
  `\nglobalThis.${CANARY}=1;\n`,
  `</script><script>globalThis.${CANARY}=1</script>`,
];
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: the point is text that looks like a template

/** A small valid tree to add hostile files to. */
async function baseTree(name: string): Promise<{ dir: string; events: string }> {
  const dir = await scratch(name);
  await cp(path.join(ROOT, "test/fixtures/valid-mixed/events"), path.join(dir, "events"), { recursive: true });
  return { dir, events: path.join(dir, "events") };
}

const SHARED_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: { a: { type: "string" } },
  examples: [{ a: "b" }],
};
const EVENT_SCHEMA = { ...SHARED_SCHEMA, title: "X happened", description: "Emitted when x happens." };

/**
 * Where a payload's path parts can go: each gives the path (under events/) of a file whose folders
 * and name spell the payload. A payload with `/` spans several folders, as an attacker's would.
 */
const POSITIONS: Record<string, (parts: string[]) => string[]> = {
  "system folder": (p) => [...p, "topic", "x-happened.json"],
  "topic folder": (p) => ["shop", ...p, "x-happened.json"],
  "event file name": (p) => ["shop", "order", ...p.slice(0, -1), `${p.at(-1)}.json`],
  "folders before a shared folder": (p) => [...p, "_x", "y.json"],
  "the shared folder itself": (p) => [`_${p[0]}`, ...p.slice(1), "y.json"],
  "under a shared folder": (p) => ["_shared", ...p, "y.json"],
  "shared file name": (p) => ["_shared", ...p.slice(0, -1), `${p.at(-1)}.json`],
};

/** The payload's path parts: split at `/`, without empty parts or the NUL a path cannot hold. */
function pathParts(payload: string): string[] {
  return payload.split("/").filter((p) => p !== "");
}

describe("names in the events tree never reach code", () => {
  const cases = Object.keys(POSITIONS).flatMap((position) => PAYLOADS.map((payload, i) => [position, i, payload] as const));

  it.each(cases)(
    "%s, payload %i: refused by name or depth, nothing compiled or written, the canary untouched",
    async (position, _i, payload) => {
      const { dir, events } = await baseTree("inject-path");
      const rel = (POSITIONS[position] as (p: string[]) => string[])(pathParts(payload)).join("/");
      await mkdir(path.dirname(path.join(events, rel)), { recursive: true });
      const schema = rel.split("/").some((p) => p.startsWith("_")) ? SHARED_SCHEMA : EVENT_SCHEMA;
      await writeFile(path.join(events, rel), JSON.stringify(schema));

      const checked = await check({ eventsDir: events, cwd: dir, cacheDir: false, workers: 0 });
      expect(canary()).toBeUndefined();
      expect(checked.ok).toBe(false);
      // A bad name, or a path at the wrong depth (a payload with `/` adds folders): the file is not read.
      const named = checked.diagnostics.filter((d) => d.code === "LAYOUT_NAME" || d.code === "LAYOUT_DEPTH");
      expect(named.map((d) => d.file)).toContain(`events/${rel}`);
      // A message shows a bad name escaped: no line break from the tree reaches a report.
      for (const d of named.filter((d) => d.code === "LAYOUT_NAME")) expect(d.message).not.toMatch(/[\n\u2028]/);

      const out = path.join(dir, "out");
      const built = await cliInProcess(["build", "--events", events, "--out", out, "--no-cache"]);
      expect(canary()).toBeUndefined();
      expect(built.code).toBe(1);
      expect(existsSync(out)).toBe(false);
    },
  );
});

describe("$ids never reach code", () => {
  it.each(PAYLOADS.map((p, i) => [i, p] as const))(
    "an $id holding payload %i is SCHEMA_ID, in an event and in a shared file",
    async (_i, payload) => {
      const { dir, events } = await baseTree("inject-id");
      await writeFile(
        path.join(events, "shop/order/x-happened.json"),
        JSON.stringify({ ...EVENT_SCHEMA, $id: `${idOf("shop/order/x-happened.json")}${payload}` }),
      );
      await writeFile(path.join(events, "_shared/y.json"), JSON.stringify({ ...SHARED_SCHEMA, $id: payload }));
      const checked = await check({ eventsDir: events, cwd: dir, cacheDir: false, workers: 0 });
      expect(canary()).toBeUndefined();
      // A raw U+2028 is refused before the $id is looked at: it is a hidden character.
      const ids = checked.diagnostics.filter((d) => d.code === "SCHEMA_ID" || d.code === "PARSE_HIDDEN_CHARACTER").map((d) => d.file);
      expect(ids).toEqual(expect.arrayContaining(["events/shop/order/x-happened.json", "events/_shared/y.json"]));
      const built = await cliInProcess(["build", "--events", events, "--out", path.join(dir, "out"), "--no-cache"]);
      expect(built.code).toBe(1);
      expect(canary()).toBeUndefined();
    },
  );

  it("validate --events-json with a crafted $id refuses the file (exit 2) and runs nothing", async () => {
    const { dir, events } = await baseTree("inject-events-json");
    const out = path.join(dir, "out");
    expect((await cliInProcess(["build", "--events", events, "--out", out, "--no-cache"])).code).toBe(0);
    const list = JSON.parse(await readFile(path.join(out, "events.json"), "utf8")) as { type: string; schema: Record<string, unknown> }[];
    const target = list[0] as { type: string; schema: Record<string, unknown> };
    const event = path.join(dir, "event.json");
    await writeFile(event, JSON.stringify(envelope(target.type, {})));
    for (const payload of PAYLOADS) {
      target.schema.$id = `https://x.invalid/a${payload}`;
      const crafted = path.join(dir, "events.json");
      await writeFile(crafted, JSON.stringify(list));
      const r = await cliInProcess(["validate", event, "--events-json", crafted]);
      expect(canary(), payload).toBeUndefined();
      expect(r.code, `${payload}\n${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr).toMatch(/events\.json/);
    }
  });
});

describe("the guard on generated code (defence in depth)", () => {
  it("the compile stage refuses an id that would end ajv's sourceURL comment, even past discover", async () => {
    for (const payload of PAYLOADS) {
      const rel = `a${payload}/_x/y.json`;
      const schema = { ...SHARED_SCHEMA, $id: idOf(rel) };
      const out = await compileBatch([], [{ rel, dialect: "2020-12", schema, examples: [{ a: "b" }] }]);
      expect(canary(), payload).toBeUndefined();
      const unit = out.units[0];
      // Either ajv refused the id as a URI, or the guard refused the code: never compiled as given.
      expect(unit?.compileError, payload).toBeDefined();
    }
  });

  it("guardCode accepts ajv's sourceURL comments of safe ids and refuses every other comment", () => {
    expect(guardCode('function f(){"use strict"; /*# sourceURL="https://domain-events.invalid/a/b.json" */ return "*/";}')).toContain(
      "sourceURL",
    );
    const bad = [
      `/*# sourceURL="https://x/a*/globalThis.${CANARY}=1;/*" */`,
      `/*# sourceURL="https://x/a\\" */globalThis.${CANARY}=1;/*# sourceURL=\\"b" */`,
      "/* a comment */",
      "x = 1; // line",
      "x = `t`",
      "/* unterminated",
    ];
    for (const code of bad) expect(() => guardCode(code), code).toThrow(UnsafeCodeError);
  });

  it("lets through the code of every allowed format (the guard reads regex literals that hold / and backticks in classes)", async () => {
    const { dir, events } = await baseTree("guard-formats");
    const properties = Object.fromEntries(ALLOWED_FORMATS.map((f) => [f.replace(/-/g, "_"), { type: "string", format: f }]));
    await writeFile(path.join(events, "shop/order/x-happened.json"), JSON.stringify({ ...EVENT_SCHEMA, properties, examples: [{}] }));
    const built = await cliInProcess(["build", "--events", events, "--out", path.join(dir, "out"), "--no-cache"]);
    expect(built.code, built.stdout + built.stderr).toBe(0);
    const shared = await readFile(path.join(dir, "out/validators/_shared.cjs"), "utf8");
    const own = await readFile(path.join(dir, "out/validators/shop.order.x-happened.v1.cjs"), "utf8");
    // What the guard read as regex literals are real ones: the published modules load and validate.
    expect(() => guardCode(shared.replace(/^\/\/.*$/gm, ""))).not.toThrow();
    expect(own).toContain("__formats");
  });

  it("split's rename refuses a comment it would otherwise cut at its first */", () => {
    expect(() => rename(`/*# sourceURL="https://x/a*/globalThis.${CANARY}=1;/*" */`, new Map())).toThrow(UnsafeCodeError);
    expect(rename('/*# sourceURL="https://x/a" */var a = "*/";', new Map())).toBe('var a = "*/";');
  });
});

/** An event schema that carries `payload` in every string position the build copies somewhere. */
function schemaCarrying(payload: string): Record<string, unknown> {
  // Keys cannot hold line breaks or invisible characters (PARSE_HIDDEN_CHARACTER): those payloads go in values only.
  const keyText = payload.replace(/[\n\u2028]/g, "");
  const key = `k${keyText}`;
  const def = `d${keyText}`;
  const pointer = `#/$defs/${encodeURIComponent(def.replace(/~/g, "~0").replace(/\//g, "~1"))}`;
  const value = `v${payload}`;
  return {
    title: `T${payload}`,
    description: `D${payload}`,
    type: "object",
    additionalProperties: false,
    required: [key],
    properties: {
      [key]: { type: "string", description: `P${payload}`, enum: [value, "plain"], default: value },
      c: { const: value, description: `C${payload}` },
      r: { $ref: pointer, description: `R${payload}` },
      p: { type: "string", pattern: `^${value.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")}$`, description: `X${payload}` },
    },
    $defs: { [def]: { type: "string", title: `T${payload}`, description: `D${payload}` } },
    examples: [{ [key]: value, c: value, r: value, p: value }],
  };
}

/** The tokens of generated JS and declarations: strings, template literals, regex literals (after `(`, `=`, `,`, `:`; classes may hold `/`), comments. */
const LITERAL =
  /(?<=[(=,:]\s*)\/(?![*/])(?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+\/[a-z]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;

/** The text of `code` outside its literals and comments. */
function codeOutsideLiterals(code: string): string {
  return code.replace(LITERAL, " ");
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

describe("every string of a schema stays data in the generated package", () => {
  it("payloads in titles, descriptions, keys, enum, const, default, examples, $defs names and patterns: built, loaded and run without the canary", async () => {
    const { dir, events } = await baseTree("inject-strings");
    await mkdir(path.join(events, "shop/hostile"), { recursive: true });
    for (const [i, payload] of PAYLOADS.entries()) {
      // A raw U+2028 would be a hidden character: the file holds it as an escape, as an author would write it.
      const text = JSON.stringify(schemaCarrying(payload), null, 2).replace(/\u2028/g, "\\u2028");
      await writeFile(path.join(events, `shop/hostile/p${i}-happened.json`), text);
    }
    await writeFile(
      path.join(events, "shop/system.json"),
      JSON.stringify({
        title: `Shop${PAYLOADS[0]}`,
        description: `Takes orders.${PAYLOADS[2]}`,
        owner: "team-shop",
        source: "/systems/shop",
      }),
    );
    const out = path.join(dir, "out");
    const built = await cliInProcess(["build", "--events", events, "--out", out, "--no-cache"]);
    expect(built.code, built.stdout + built.stderr).toBe(0);
    expect(canary()).toBeUndefined();

    for (const file of await filesUnder(out)) {
      if (!/\.(c?js|d\.c?ts)$/.test(file)) continue;
      const code = await readFile(file, "utf8");
      expect(codeOutsideLiterals(code), path.relative(out, file)).not.toContain(CANARY);
    }

    const pkg = createRequire(path.join(out, "index.cjs"))(path.join(out, "index.cjs")) as {
      validate(e: unknown): { ok: boolean };
      events: { type: string }[];
    };
    for (const [i, payload] of PAYLOADS.entries()) {
      const schema = schemaCarrying(payload);
      const [example] = schema.examples as unknown[];
      const result = pkg.validate(envelope(`shop.hostile.p${i}-happened.v1`, example));
      expect(result.ok, payload).toBe(true);
      expect(pkg.validate(envelope(`shop.hostile.p${i}-happened.v1`, { nope: payload })).ok).toBe(false);
    }
    expect(canary()).toBeUndefined();
  });
});
