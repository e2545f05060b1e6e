/**
 * guardCode's scanner (src/schema/code-guard.ts) against the regex it replaced, kept here as the
 * reference: the same verdict and the same thrown error (class and message) on an edge list, on
 * seeded random mixes of the tokens the guard reads (string literals with escapes, regex literals
 * after `(`, `=`, `,`, `:` whose classes hold `/` and backticks, comments, `//`, backticks,
 * sourceURL comments with safe and unsafe ids, unterminated ones), on mutations of real validator
 * code, and on every validator module the build of events/ produces.
 */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isSpace as isWhiteSpace } from "../src/runtime/formats.js";
import { guardCode, SOURCE_URL_COMMENT, UnsafeCodeError } from "../src/schema/ajv.js";
import { cliInProcess, ROOT, scratch, seeded } from "./helpers.js";

// ---------------------------------------------------------------------------------------------
// The reference: guardCode as it was before code-guard.ts (src/schema/ajv.ts at issue 15).

/** A copy of ajv.ts's SAFE_ID (not exported there). */
const SAFE_ID = /^[A-Za-z0-9._~:/?#@!$&()+,;=%-]*$/;

const CODE_TOKEN =
  /(?<=[(=,:]\s*)\/(?![*/])(?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+\/[a-z]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\/\*[\s\S]*?\*\/|\/\*|\/\/|`/g;

function referenceGuard(code: string): string {
  for (const token of code.matchAll(CODE_TOKEN)) {
    const t = token[0];
    if (t.startsWith("/*")) {
      const id = SOURCE_URL_COMMENT.exec(t)?.[1];
      if (id === undefined || !SAFE_ID.test(JSON.parse(id) as string))
        throw new UnsafeCodeError(`unexpected comment in generated code: ${t.slice(0, 80)}`);
    } else if (t === "//" || t === "`")
      throw new UnsafeCodeError(
        `unexpected ${t} in generated code: ${code.slice(Math.max(0, (token.index ?? 0) - 80), (token.index ?? 0) + 40)}`,
      );
    else if (t === "/*") throw new UnsafeCodeError("unterminated comment in generated code");
  }
  return code;
}

/** What a guard does with a text: "ok" when it returns it unchanged, else the error's class and message. */
function outcome(guard: (code: string) => string, code: string): string {
  try {
    return guard(code) === code ? "ok" : "changed";
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

/** Asserts that both guards agree on `code`; returns the verdict. */
function expectSame(code: string): string {
  const want = outcome(referenceGuard, code);
  expect(outcome(guardCode, code), JSON.stringify(code)).toBe(want);
  return want;
}

// ---------------------------------------------------------------------------------------------
// Generated inputs

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** White space of every kind the look-behind's `\s` knows, and some it does not. */
const SPACES = [" ", "  ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u2028", "\u2029", "\ufeff", "\u3000", "\u200b", "\u180e"];
/** Characters that matter to some token, and ordinary ones. */
const CHARS = [
  "a",
  "x",
  "/",
  "\\",
  "[",
  "]",
  '"',
  "'",
  "`",
  "*",
  "(",
  "=",
  ",",
  ":",
  ";",
  "\n",
  "\r",
  "\u2028",
  " ",
  "~",
  "^",
  "$",
  "#",
  "{",
  "}",
];
/** Code around the tokens. */
const CODE = [
  "(",
  "=",
  ",",
  ":",
  ";",
  ")",
  "{",
  "}",
  "x",
  "a.b",
  "return ",
  "+",
  "*",
  "/",
  "[",
  "]",
  "\\",
  '"',
  "'",
  "`",
  "//",
  "/*",
  "*/",
  "!",
  "==",
];

function body(random: Random, max: number): string {
  let s = "";
  const length = Math.floor(random() * max);
  for (let i = 0; i < length; i++) s += random() < 0.2 ? `\\${pick(random, CHARS)}` : pick(random, CHARS);
  return s;
}

function stringLiteral(random: Random): string {
  const quote = pick(random, ['"', "'"]);
  let inner = "";
  for (let i = Math.floor(random() * 8); i > 0; i--) {
    const r = random();
    if (r < 0.3) inner += `\\${pick(random, [quote, "\\", "n", "u2028", "/", "`", "*"])}`;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: text that looks like a template is the point
    else if (r < 0.4) inner += pick(random, ["*/", "/*", "//", "`", "${x}"]);
    else inner += pick(random, ["a", " ", "~", "/", quote === '"' ? "'" : '"']);
  }
  return random() < 0.1 ? `${quote}${inner}${pick(random, ["\n", "\\\n", "\\", ""])}` : `${quote}${inner}${quote}`;
}

function regexLiteral(random: Random): string {
  let inner = "";
  for (let i = 1 + Math.floor(random() * 6); i > 0; i--) {
    const r = random();
    if (r < 0.3) inner += `[${body(random, 4).replace(/\\$/, "")}${random() < 0.9 ? "]" : ""}`;
    else if (r < 0.5) inner += `\\${pick(random, ["/", "[", "]", "\\", "d", "`", "\n", "\r"])}`;
    else inner += pick(random, ["a", "^", "$", "+", "~", "-", ".", "*", "`", "'", '"']);
  }
  const prefix = `${pick(random, ["(", "=", ",", ":", "x", ";"])}${random() < 0.5 ? pick(random, SPACES) : ""}`;
  return `${prefix}/${inner}${random() < 0.9 ? "/" : ""}${pick(random, ["", "g", "i", "gu", "X"])}`;
}

function sourceUrl(random: Random): string {
  const safe = pick(random, ["https://domain-events.invalid/a/b.json", "x", "", "a#/$defs/b", "%2A/~0"]);
  const unsafe = pick(random, ["a b", "a*/b", "a\\", "a\nb", "a\tb", "é", 'a"b', "a'b", "a`b", "a<b"]);
  const id = random() < 0.6 ? safe : unsafe;
  const form = random();
  if (form < 0.7) return `/*# sourceURL=${JSON.stringify(id)} */`;
  if (form < 0.8) return `/*# sourceURL="${id}" */`;
  if (form < 0.9) return `/*# sourceURL="${id}"*/`;
  return `/*# sourceURL="${id}" `;
}

function comment(random: Random): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: text that looks like a template is the point
  return pick(random, ["/* a comment */", "/**/", "/*/", "/* x", "/*** */", "// line\n", "//", "`", "`${x}`"]);
}

/** A random mix of the pieces above, 1 to 30 of them. */
function randomCode(random: Random): string {
  const makers = [
    () => pick(random, SPACES),
    () => pick(random, CODE),
    () => stringLiteral(random),
    () => regexLiteral(random),
    () => regexLiteral(random),
    () => sourceUrl(random),
    () => comment(random),
    () => body(random, 6),
  ];
  let s = "";
  for (let i = 1 + Math.floor(random() * 30); i > 0; i--) s += pick(random, makers)();
  return s;
}

/** `code` with one to three characters that matter to the guard inserted, deleted or replaced. */
function mutate(random: Random, code: string): string {
  let s = code;
  for (let i = 1 + Math.floor(random() * 3); i > 0; i--) {
    const at = Math.floor(random() * (s.length + 1));
    const r = random();
    const c = pick(random, ["/", "\\", '"', "'", "`", "[", "]", "*", "\n", "(", "="]);
    if (r < 0.4) s = s.slice(0, at) + c + s.slice(at);
    else if (r < 0.7) s = s.slice(0, at) + s.slice(at + 1);
    else s = s.slice(0, at) + c + s.slice(at + 1);
  }
  return s;
}

/** The edge list: each a case the two must agree on, most with the verdict they must both give. */
const EDGES: readonly string[] = [
  "",
  "x",
  "/",
  "(/",
  "(/x",
  "(//x/",
  "(/*x*/",
  "(/x/",
  "(/x/gimsuy`",
  "( \n\t/x/ `",
  "(\u00a0/`/",
  "(\u200b/`/",
  "(\ufeff/`/",
  "a /`/",
  "a = /[/`]/; b",
  "a = /[/`]/; `",
  "a = /[/`/; `",
  "a = /\\/`/",
  "a = /\\\n`/",
  "a = /\\\r`/",
  "a = /\\\u2028`/",
  "a = /x\r`/",
  "a = /[\\]/`]/",
  "a = /[\\]`/",
  "a = /[]`/",
  "a = /[\n]`/",
  "a = /x//y",
  'x.replace(/~/g, "~0")',
  "const c = /^[a-z'*+/=?^_`{|}~-]+$/i",
  "f(/[`]/.test(s), /a/)",
  '"`"',
  "'`'",
  '"\\"`"',
  '"\\\\"`"',
  '"\n`"',
  '"\\\n`"',
  '"\\\u2028`"',
  '"\u2028`"',
  '"\r`"',
  "'a\"b' `",
  '"abc',
  '"abc\\',
  "/* */",
  "/**/",
  "/*/",
  "/*",
  "/* x",
  "a /* b */ c",
  "//",
  "x // y",
  '"//" /* */',
  '/*# sourceURL="https://domain-events.invalid/a/b.json" */',
  '/*# sourceURL="https://x/a*/globalThis.x=1;/*" */',
  '/*# sourceURL="a b" */',
  '/*# sourceURL="a\\" */x;/*# sourceURL=\\"b" */',
  '/*# sourceURL="a\nb" */',
  '/*# sourceURL="a\tb" */',
  '/*# sourceURL="" */',
  '/*# sourceURL="x"*/',
  '/*# sourceURL="x" */ // after',
  '"/*" /*# sourceURL="x" */ "*/"',
  "`".repeat(3),
  `${"a".repeat(200)}\`${"b".repeat(200)}`,
  `${"a".repeat(200)}//${"b".repeat(200)}`,
  `${"(/[".repeat(50)}\n\``,
  `${'"\\"'.repeat(50)}\n\``,
];

// ---------------------------------------------------------------------------------------------

describe("guardCode's scanner against the regex it replaced", () => {
  it("reads white space as JavaScript's \\s does, for every UTF-16 code unit", () => {
    const differ: number[] = [];
    for (let c = 0; c <= 0xffff; c++) if (isWhiteSpace(c) !== /\s/.test(String.fromCharCode(c))) differ.push(c);
    expect(differ).toEqual([]);
  });

  it("agrees on the edge list", () => {
    const verdicts = EDGES.map((code) => expectSame(code));
    // Both sides of the fence are covered: accepted texts, and each kind of refusal.
    expect(verdicts).toContain("ok");
    for (const kind of ["comment", "//", "`"]) expect(verdicts.some((v) => v.includes(`unexpected ${kind}`))).toBe(true);
    expect(verdicts.some((v) => v.startsWith("SyntaxError"))).toBe(true);
  });

  it("agrees on 30,000 seeded random mixes of literals, comments and code", () => {
    const random = seeded(16);
    const counts = new Map<string, number>();
    for (let i = 0; i < 30_000; i++) {
      const verdict = expectSame(randomCode(random));
      const kind = verdict === "ok" ? "ok" : (/unexpected (\S+)/.exec(verdict)?.[1] ?? verdict.split(":")[0]);
      counts.set(kind as string, (counts.get(kind as string) ?? 0) + 1);
    }
    // The mix is not all refusals: thousands of texts of each verdict.
    for (const kind of ["ok", "comment", "//", "`"]) expect(counts.get(kind) ?? 0, kind).toBeGreaterThan(1000);
  });

  describe("on the validator modules of a build of events/", () => {
    const modules: string[] = [];
    beforeAll(async () => {
      const dir = await scratch("code-guard");
      const out = path.join(dir, "out");
      const built = await cliInProcess(["build", "--events", path.join(ROOT, "events"), "--out", out, "--no-cache"]);
      expect(built.code, built.stdout + built.stderr).toBe(0);
      const folder = path.join(out, "validators");
      for (const name of (await readdir(folder)).sort()) modules.push(await readFile(path.join(folder, name), "utf8"));
    });

    it("agrees on each module, its code without the header comments, and each of its lines", () => {
      expect(modules.length).toBeGreaterThan(10);
      for (const module of modules) {
        expect(expectSame(module)).toMatch(/unexpected \/\//);
        // What guardCode checked while building: the code, without the module's own `//` header lines.
        expect(expectSame(module.replace(/^\/\/.*$/gm, ""))).toBe("ok");
        for (const line of module.split("\n")) expectSame(line);
      }
    });

    it("agrees on 20,000 seeded mutations of that code", () => {
      const random = seeded(1016);
      const code = modules.map((m) => m.replace(/^\/\/.*$/gm, ""));
      let refused = 0;
      for (let i = 0; i < 20_000; i++) {
        const source = pick(random, code);
        const at = Math.floor(random() * source.length);
        // A window of the module around the mutation keeps each case small.
        const window = source.slice(Math.max(0, at - 300), at + 300);
        if (expectSame(mutate(random, window)) !== "ok") refused++;
      }
      expect(refused).toBeGreaterThan(1000);
      expect(refused).toBeLessThan(20_000);
    });
  });
});
