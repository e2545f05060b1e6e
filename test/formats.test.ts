/**
 * Our format checks (src/runtime/formats.ts) against ajv-formats' "full" mode, the reference they
 * replace: for every allowed format, thousands of generated strings (random text over the format's
 * characters, values built to be near-valid, mutations of both) and a hand-written list of edge
 * cases, and the same answer on each. Deterministic: a fixed seed (FORMATS_SEED to try another).
 */

import formatsModule from "ajv-formats/dist/formats.js";
import { describe, expect, it } from "vitest";
import { ALLOWED_FORMATS } from "../src/model/formats.js";
import { FORMATS } from "../src/runtime/formats.js";
import { seeded } from "./helpers.js";

type Reference = RegExp | ((s: string) => boolean) | { validate: RegExp | ((s: string) => boolean) };
const fullFormats = (formatsModule as unknown as { fullFormats: Record<string, Reference> }).fullFormats;

/** ajv-formats' answer, called the way ajv calls it. */
function reference(format: string, s: string): boolean {
  let f = fullFormats[format] as Reference;
  if (typeof f === "object" && !(f instanceof RegExp)) f = f.validate;
  return f instanceof RegExp ? f.test(s) : f(s);
}

const SEED = Number(process.env.FORMATS_SEED ?? 0x5eed16);
const SAMPLES = Number(process.env.FORMATS_SAMPLES ?? 6000);

type Gen = { int: (n: number) => number; pick: <T>(xs: readonly T[]) => T; chance: (p: number) => boolean };
function gen(seed: number): Gen {
  const r = seeded(seed);
  const int = (n: number) => Math.floor(r() * n);
  return { int, pick: (xs) => xs[int(xs.length)] as never, chance: (p) => r() < p };
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");
/** Characters that test the edges of every class: white space of every kind, unicode, surrogates, controls. */
const ODD = [
  " ",
  "\t",
  "\n",
  "\r",
  "\u00a0",
  "\u2028",
  "\u3000",
  "\ufeff",
  "\u0000",
  "é",
  "ı",
  "ſ",
  "\u212a",
  "ü",
  "日",
  "\ud83d\ude00",
  "\ud800",
  "\u0130",
];

/** A number of 1..4 digits that is often a boundary. */
function num(g: Gen, max: number, w: number): string {
  return pad(g.chance(0.3) ? g.pick([0, 1, max - 1, max, max + 1, 9, 10, 99]) : g.int(max + 2), g.chance(0.1) ? w + 1 : w).slice(
    g.chance(0.05) ? 1 : 0,
  );
}

function zone(g: Gen): string {
  switch (g.int(8)) {
    case 0:
      return "Z";
    case 1:
      return "z";
    case 2:
      return "";
    case 3:
      return `${g.pick(["+", "-"])}${num(g, 23, 2)}`;
    case 4:
      return `${g.pick(["+", "-"])}${num(g, 23, 2)}${num(g, 59, 2)}`;
    default:
      return `${g.pick(["+", "-"])}${num(g, 23, 2)}:${num(g, 59, 2)}`;
  }
}

function dateValue(g: Gen): string {
  const year = g.chance(0.4) ? g.pick([1900, 2000, 2004, 2023, 2024, 2100, 2400, 0, 9999, 1600]) : g.int(10000);
  return `${pad(year, 4)}-${num(g, 12, 2)}-${g.chance(0.5) ? g.pick(["28", "29", "30", "31", "32", "00"]) : num(g, 31, 2)}`;
}

function timeValue(g: Gen): string {
  const leap = g.chance(0.25);
  const hms = leap
    ? `${g.pick(["23", "22", "00", "24", "01", "12"])}:${g.pick(["59", "00", "29", "30", "60"])}:${g.pick(["60", "59", "61"])}`
    : `${num(g, 23, 2)}:${num(g, 59, 2)}:${num(g, 59, 2)}`;
  const frac = g.chance(0.3) ? `.${g.pick(["5", "0", "999", "9999999999999999999", "", "12345"])}` : "";
  return hms + frac + zone(g);
}

function hexGroup(g: Gen): string {
  const len = g.chance(0.05) ? 5 : 1 + g.int(4);
  return Array.from({ length: len }, () => g.pick("0123456789abcdefABCDEFg".split(""))).join("");
}

function ipv4Value(g: Gen): string {
  const parts = Array.from({ length: g.chance(0.1) ? 3 + g.int(3) : 4 }, () =>
    g.chance(0.85) ? String(g.int(256)) : g.pick([String(g.int(300)), "0", "00", "01", "255", "256", "099", "1000"]),
  );
  return parts.join(".");
}

function ipv6Value(g: Gen): string {
  const n = g.int(10);
  const groups = Array.from({ length: n }, () => hexGroup(g));
  if (g.chance(0.6)) groups.splice(g.int(n + 1), 0, "");
  let s = groups.join(":");
  if (s.startsWith(":") && !s.startsWith("::")) s = `:${s}`;
  if (s.endsWith(":") && !s.endsWith("::")) s = `${s}:`;
  if (g.chance(0.3)) s = `${s}${s.endsWith(":") || s === "" ? "" : ":"}${ipv4Value(g)}`;
  return s;
}

function label(g: Gen, max: number): string {
  const len = g.chance(0.1) ? g.pick([63, 64, 62]) : 1 + g.int(max);
  let s = "";
  for (let i = 0; i < len; i++) s += g.pick("abcxyzAZ0189---".split(""));
  if (g.chance(0.3)) s = g.pick(["xn--bcher-kva", "a", "0", "-a", "a-"]);
  return s;
}

function hostValue(g: Gen): string {
  const labels = Array.from({ length: g.chance(0.05) ? 60 + g.int(10) : 1 + g.int(5) }, () => label(g, 10));
  return labels.join(".") + (g.chance(0.2) ? "." : "");
}

const PCHARS = "aZ09-._~!$&'()*+,;=:@/?#[]%\"<> {}|\\^`".split("");
function uriPart(g: Gen, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += g.chance(0.1) ? g.pick(["%20", "%aF", "%g0", "%2", "%"]) : g.pick(PCHARS);
  return s;
}

function uriValue(g: Gen): string {
  const scheme = g.chance(0.85) ? `${g.pick(["http", "a", "urn", "x+y.z-1", "1a", "", "h ttp"])}:` : "";
  const slashes = g.pick(["//", "/", "", "///"]);
  const user = g.chance(0.2) ? `${g.pick(["user", "u:p", "", "u%20", "u@x", 'u"q'])}@` : "";
  const host = (() => {
    switch (g.int(6)) {
      case 0:
        return `[${ipv6Value(g)}]`;
      case 1:
        return `[${g.pick(["v1.x", "V1a.b:c", "v.x", "v1.", "vg.x", "v1.%20"])}]`;
      case 2:
        return ipv4Value(g);
      case 3:
        return uriPart(g, g.int(4));
      default:
        return hostValue(g);
    }
  })();
  const port = g.chance(0.2) ? `:${g.pick(["80", "", "8a", "65536"])}` : "";
  const path = g.chance(0.6) ? `/${uriPart(g, g.int(8))}` : "";
  const query = g.chance(0.3) ? `?${uriPart(g, g.int(6))}` : "";
  const fragment = g.chance(0.3) ? `#${uriPart(g, g.int(6))}` : "";
  return scheme + slashes + user + host + port + path + query + fragment;
}

function durationValue(g: Gen): string {
  if (g.chance(0.15)) return `P${g.int(100)}W${g.chance(0.1) ? "T1H" : ""}`;
  let s = "P";
  for (const d of "YMD") if (g.chance(0.4)) s += `${g.int(100)}${d}`;
  if (g.chance(0.6)) {
    s += "T";
    for (const d of "HMS") if (g.chance(0.4)) s += `${g.int(100)}${g.chance(0.05) ? ".5" : ""}${d}`;
  }
  return s;
}

function emailValue(g: Gen): string {
  const atext = "aZ09!#$%&'*+/=?^_`{|}~-".split("");
  const atoms = Array.from({ length: 1 + g.int(3) }, () =>
    Array.from({ length: 1 + g.int(5) }, () => (g.chance(0.9) ? g.pick(atext) : g.pick(PCHARS))).join(""),
  );
  const local = g.chance(0.2) ? g.pick(["a..b", ".a", "a.", '"quoted"', "a b", "a+b", "é"]) : atoms.join(".");
  return `${local}@${g.chance(0.2) ? g.pick(["localhost", "[127.0.0.1]", "-a.com", "a-.com", "a.com.", "a..com"]) : hostValue(g)}`;
}

function uuidValue(g: Gen): string {
  const hex = (n: number) => Array.from({ length: n }, () => g.pick("0123456789abcdefABCDEF".split(""))).join("");
  const s = `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  return (g.chance(0.3) ? g.pick(["urn:uuid:", "URN:UUID:", "urn:uuid", "uuid:"]) : "") + s;
}

function pointerValue(g: Gen): string {
  return Array.from({ length: g.int(4) }, () => `/${g.pick(["a", "~0", "~1", "~", "~2", "", "a~", "日", "%25", "/"])}`).join("");
}

function regexValue(g: Gen): string {
  return Array.from({ length: 1 + g.int(6) }, () =>
    g.pick(["a", "(", ")", "[", "]", "\\", "\\Z", "\\d", "*", "+", "?", "{2}", "{", "|", "^", "$", "(?<n>x)", "\\k<n>", "\\p{L}", "(?=a)"]),
  ).join("");
}

/** Values built near the accept set of each format. */
const BUILDERS: Record<string, (g: Gen) => string> = {
  date: dateValue,
  "date-time": (g) => `${dateValue(g)}${g.pick(["T", "t", " ", "\t", "\u2003", "\ufeff", "_", "TT", "\u00a0", "\n"])}${timeValue(g)}`,
  duration: durationValue,
  email: emailValue,
  hostname: hostValue,
  ipv4: ipv4Value,
  ipv6: ipv6Value,
  "json-pointer": pointerValue,
  regex: regexValue,
  time: timeValue,
  uri: uriValue,
  "uri-reference": (g) => (g.chance(0.3) ? uriValue(g).replace(/^[^:/]*:/, "") : uriValue(g)),
  uuid: uuidValue,
};

/** One random edit: delete, insert, replace, duplicate a slice, change case, truncate. */
function mutate(g: Gen, s: string, alphabet: readonly string[]): string {
  const at = g.int(s.length + 1);
  switch (g.int(7)) {
    case 0:
      return s.slice(0, at) + s.slice(at + 1);
    case 1:
      return s.slice(0, at) + g.pick(alphabet) + s.slice(at);
    case 2:
      return s.slice(0, at) + g.pick(alphabet) + s.slice(at + 1);
    case 3:
      return s.slice(0, at) + s.slice(g.int(s.length + 1)) + s.slice(at);
    case 4:
      return g.chance(0.5) ? s.toUpperCase() : s.toLowerCase();
    case 5:
      return s.slice(0, at);
    default:
      return s.slice(0, at) + g.pick(ODD) + s.slice(at);
  }
}

/** The characters each format's own text is made of, plus the odd ones. */
function alphabetOf(samples: string[]): string[] {
  return [...new Set(samples.join("").split("")), ...ODD, ":", ".", "-", "/", "%", "@", "[", "]", "T", "Z", "+", "~"];
}

/** The generated inputs of one format: built values, their mutations, random strings, long strings. */
function inputs(format: string, seed: number): string[] {
  const g = gen(seed);
  const build = BUILDERS[format] as (g: Gen) => string;
  const built = Array.from({ length: SAMPLES / 3 }, () => build(g));
  const alphabet = alphabetOf(built.slice(0, 200));
  const mutated = built.map((s) => {
    let m = s;
    for (let k = 1 + g.int(3); k > 0; k--) m = mutate(g, m, alphabet);
    return m;
  });
  const random = Array.from({ length: SAMPLES / 3 }, () => Array.from({ length: g.int(24) }, () => g.pick(alphabet)).join(""));
  const long = [build(g).repeat(50), "a".repeat(300), `${"a".repeat(63)}.`.repeat(4), "1".repeat(10000), "/".repeat(5000)];
  return [...built, ...mutated, ...random, ...long, ""];
}

/** Hand-picked edges, each format's own, on top of the generated ones. */
const EDGES: Record<string, string[]> = {
  date: [
    "2024-02-29",
    "2023-02-29",
    "1900-02-29",
    "2000-02-29",
    "2100-02-29",
    "2400-02-29",
    "2023-04-31",
    "2023-04-30",
    "2023-12-31",
    "2023-13-01",
    "2023-00-10",
    "2023-01-00",
    "0000-01-01",
    "2023-1-01",
    "2023-01-01T",
    "２０２３-01-01",
    "2023/01/01",
    " 2023-01-01",
    "2023-01-01\n",
    "+02023-01-01",
  ],
  "date-time": [
    "2024-02-29T23:59:60Z",
    "2024-02-29t23:59:60z",
    "2023-06-30T23:59:60Z",
    "2023-06-30T23:59:60+00:00",
    "2023-06-30T22:59:60-01:00",
    "2023-06-30T00:59:60+01:00",
    "2023-06-30T23:59:60.999Z",
    "2023-06-30T23:59:61Z",
    "2023-06-30 12:00:00Z",
    "2023-06-30\u200a12:00:00Z",
    "2023-06-30T12:00:00",
    "2023-06-30T24:00:00Z",
    "2023-06-30T12:00:00+24:00",
    "2023-06-30T12:00:00+23:59",
    "2023-06-30T12:00:00+0130",
    "2023-06-30T12:00:00+01",
    "2023-06-30T12:00:00.Z",
    "2023-06-30TT12:00:00Z",
    "2023-06-30T12:00:00ZZ",
    "2023-06-30T12:00:59.99999999999999999Z",
    "2023-06-30T23:59:59.99999999999999999Z",
  ],
  duration: [
    "P",
    "PT",
    "P1W",
    "P1Y2M3DT4H5M6S",
    "PT1H",
    "P1D",
    "P1DT",
    "PT1.5S",
    "P1Y1W",
    "P1M1Y",
    "PT1S1M",
    "P0D",
    "p1d",
    "P1H",
    "PT1D",
    "P1YT",
    "P 1D",
    "P1W2W",
  ],
  email: [
    "a@b.c",
    "a@b",
    "a.b@c.d",
    "a..b@c.d",
    ".a@b.c",
    "a.@b.c",
    "a@b.c.",
    "a@-b.c",
    "a@b-.c",
    "a@b..c",
    '"a b"@c.d',
    "a@[127.0.0.1]",
    "a+tag@example.com",
    "ü@example.com",
    "a@xn--bcher-kva.example",
    "a@b.c@d.e",
    "!#$%&'*+/=?^_`{|}~-@x.y",
    "a@1.2",
  ],
  hostname: [
    "a",
    "a.",
    ".",
    "",
    "a..b",
    "-a",
    "a-",
    "a-b",
    "xn--bcher-kva.example",
    "bücher.example",
    `${"a".repeat(63)}.com`,
    `${"a".repeat(64)}.com`,
    `${"a".repeat(61)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}`,
    `${"a".repeat(61)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.`,
    `${"a".repeat(62)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.`,
    `${"a".repeat(62)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}`,
    "a_b",
    "A.B",
    "1.2.3.4",
    "a\n",
  ],
  ipv4: [
    "0.0.0.0",
    "255.255.255.255",
    "256.0.0.0",
    "01.2.3.4",
    "1.2.3",
    "1.2.3.4.5",
    "1.2.3.04",
    "1..2.3",
    "a.b.c.d",
    " 1.2.3.4",
    "1.2.3.4\n",
    "١.2.3.4",
  ],
  ipv6: [
    "::",
    "::1",
    "1::",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7::",
    "::2:3:4:5:6:7:8",
    "1:2:3:4:5:6::8",
    "1::3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "::1:2:3:4:5:6:7:8",
    ":::",
    "1:::2",
    "1::2::3",
    ":1",
    "1:",
    "::ffff:1.2.3.4",
    "::ffff:01.2.3.4",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5::1.2.3.4",
    "1:2:3:4:5:6::1.2.3.4",
    "::1.2.3.4",
    "1.2.3.4",
    "12345::",
    "fe80::1%eth0",
    "FE80::A",
    "1:2:3:4:5:6:7:1.2.3.4",
    "::1.2.3",
    "::1.2.3.4:1",
  ],
  "json-pointer": ["", "/", "//", "/a~0b", "/a~1b", "/a~2b", "/a~", "a", "#/a", "/日本", "/~01", "/\n"],
  regex: ["a", "(", "a\\Z", "\\Z", "\\\\Z", "[", "(?<n>a)\\k<n>", "\\p{L}", "a{2,1}", "", "(?<a>)(?<a>)", "\\u{1F600}", "/a/"],
  time: [
    "23:59:60Z",
    "23:59:60+00:00",
    "00:59:60+01:00",
    "22:59:60-01:00",
    "23:59:60+01:00",
    "12:00:00",
    "12:00:00Z",
    "24:00:00Z",
    "24:59:60+01:00",
    "12:60:00Z",
    "12:00:60Z",
    "12:00:00+24:00",
    "12:00:00-23:59",
    "12:00:00+01",
    "12:00:00+01:",
    "12:00:00+1:00",
    "12:00:00.5Z",
    "12:00:00.Z",
    "1:00:00Z",
    "12:00:00z",
    "23:59:60.5Z",
    "23:59:59.99999999999999999Z",
    "00:00:60+00:01",
    "23:58:60-00:01",
  ],
  uri: [
    "http://example.com",
    "http://example.com/a?b#c",
    "a:b",
    "a:",
    "a:?q",
    "a:#f",
    ":b",
    "1a:b",
    "http://[::1]",
    "http://[::1]:80/x",
    "http://[::1]x",
    "http://u@[::1]",
    "http:/[::1]",
    "http:///[::1]",
    "http://[v1.x]",
    "http://[v1.]",
    "http://[001.2.3.4]",
    "http://[::001.2.3.4]",
    "http://[::256.2.3.4]",
    "http://a b",
    "http://a%20b",
    "http://a%2",
    "http://a#b#c",
    "http://a?b?c",
    "urn:isbn:0451450523",
    "mailto:a@b.c",
    'http://ex"ample',
    "http://bücher.example",
    "http://[::1]]",
    "http://[[::1]",
    "//example.com",
    "/a",
    "http://a/[b]",
    "http://[::1]:8a",
    "x:/\\",
    "h:%zz",
    "http://ex.com:80:90",
  ],
  "uri-reference": [
    "",
    "#",
    "?",
    "/",
    "//",
    "a",
    "a:b",
    "//example.com",
    "//[::1]/a",
    "/[::1]",
    "a/[::1]",
    "a:/[::1]",
    "a://[::1]",
    "1a://[::1]",
    '"',
    'a"b',
    '//u"@[::1]',
    '//[v1."]',
    'http://[::1]?"#"',
    "\\\\",
    "a b",
    "%",
    "%zz",
    "#a#b",
    "?a?b#c",
    "//[::1]x",
    "//[::1]:",
    "//[::1]:80x",
  ],
  uuid: [
    "00000000-0000-0000-0000-000000000000",
    "urn:uuid:00000000-0000-0000-0000-000000000000",
    "URN:UUID:ABCDEF00-0000-0000-0000-000000000000",
    "urn:uuid00000000-0000-0000-0000-000000000000",
    "0000000-00000-0000-0000-000000000000",
    "00000000000000000000000000000000",
    "g0000000-0000-0000-0000-000000000000",
    "{00000000-0000-0000-0000-000000000000}",
    "urn:uuıd:00000000-0000-0000-0000-000000000000",
    "urn:uuid:00000000-0000-0000-0000-00000000000",
  ],
};

describe("format checks (src/runtime/formats.ts) = ajv-formats' full mode", () => {
  it("cover exactly the allowed formats", () => {
    expect(Object.keys(FORMATS).sort()).toEqual([...ALLOWED_FORMATS].sort());
  });

  for (const [index, format] of ALLOWED_FORMATS.entries()) {
    it(`${format}: the same answer on every generated and edge input`, () => {
      const cases = [...inputs(format, SEED + index), ...(EDGES[format] ?? [])];
      const ours = FORMATS[format] as (s: string) => boolean;
      const differ = cases.filter((s) => ours(s) !== reference(format, s)).map((s) => [JSON.stringify(s), reference(format, s)]);
      expect(differ.slice(0, 10)).toEqual([]);
      // The generated inputs reach both answers, so agreement is not agreement on "no" alone.
      const accepted = cases.filter((s) => ours(s)).length;
      if (process.env.FORMATS_STATS) console.log(format, accepted, cases.length);
      expect(accepted).toBeGreaterThan(cases.length / 50);
      expect(accepted).toBeLessThan(cases.length);
    });
  }
});
