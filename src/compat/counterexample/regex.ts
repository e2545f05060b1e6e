/**
 * Counterexample search, step 2 (seed) and 3 (mutate): strings that match a `pattern`. A tiny
 * sampler for the regular expressions of event schemas: literals, classes, groups, alternation
 * (first branch), quantifiers, repeated `stretch` times where the quantifier allows. Anything
 * fancier (lookaround, backreferences) gives up; every sample is tested against the pattern as ajv
 * reads it (patterns.ts) before it is used.
 */

import { patternRegex } from "../../schema/patterns.js";
import { length, MAX_STRING } from "./values.js";

/** How many times a sample repeats what a quantifier allows more of: short samples first. */
const STRETCHES = [0, 1, 2, 4, 8, 16, 64];

/** Distinct strings that match `pattern`, shortest stretch first; none when it is not a valid pattern. */
export function patternSamples(pattern: string): string[] {
  const re = patternRegex(pattern);
  const out: string[] = [];
  for (const stretch of STRETCHES) {
    const x = sampleRegex(pattern, stretch);
    if (x !== undefined && re?.test(x) && !out.includes(x)) out.push(x);
  }
  return out;
}

/** The characters a class or escape is sampled from: the first one it matches. */
const CHAR_POOL = [..."aA0bB1zZ9-_. @:/+xX"];
/** Thrown inside the sampler when the pattern goes beyond what it reads. */
const BAIL = Symbol("bail");
const CONTROL_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", "0": "\0" };

/** One string the pattern `source` may match, each quantifier taken `stretch` times where it allows; undefined when the sampler gives up. */
function sampleRegex(source: string, stretch: number): string | undefined {
  let i = 0;
  const alternation = (): string => {
    const first = sequence();
    while (source[i] === "|") {
      i++;
      sequence();
    }
    return first;
  };
  const sequence = (): string => {
    let out = "";
    while (i < source.length && source[i] !== "|" && source[i] !== ")") {
      const piece = atom();
      const [lo, hi] = quantifier();
      out += piece.repeat(Math.min(hi, Math.max(lo, stretch)));
    }
    return out;
  };
  const pick = (cls: string): string => {
    const re = patternRegex(`^${cls}$`);
    const c = CHAR_POOL.find((ch) => re?.test(ch));
    if (c === undefined) throw BAIL;
    return c;
  };
  const atom = (): string => {
    const c = source[i] as string;
    if (c === "^" || c === "$") {
      i++;
      return "";
    }
    if (c === ".") {
      i++;
      return "a";
    }
    if (c === "(") {
      i++;
      if (source.startsWith("?:", i)) i += 2;
      else if (source.startsWith("?<", i) && source[i + 2] !== "=" && source[i + 2] !== "!") i = source.indexOf(">", i) + 1;
      else if (source[i] === "?") throw BAIL;
      const inner = alternation();
      if (source[i] !== ")") throw BAIL;
      i++;
      return inner;
    }
    if (c === "[") {
      let j = i + 1;
      while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
      const cls = source.slice(i, j + 1);
      i = j + 1;
      return pick(cls);
    }
    if (c === "\\") {
      const e = source[i + 1] ?? "";
      if (e === "b" || e === "B") {
        i += 2;
        return "";
      }
      if (/[1-9kc]/.test(e) || e === "") throw BAIL;
      if (Object.hasOwn(CONTROL_ESCAPES, e)) {
        i += 2;
        return CONTROL_ESCAPES[e] as string;
      }
      // An escaped punctuation character stands for itself.
      if (!/[A-Za-z0-9]/.test(e)) {
        i += 2;
        return e;
      }
      let end = i + 2;
      if (e === "p" || e === "P" || (e === "u" && source[i + 2] === "{")) end = source.indexOf("}", i) + 1;
      else if (e === "u") end = i + 6;
      else if (e === "x") end = i + 4;
      if (end <= i) throw BAIL;
      const sequenceText = source.slice(i, end);
      i = end;
      if (e === "u" || e === "x") {
        const hex = sequenceText.replace(/^\\[ux]\{?|\}$/g, "");
        const code = Number.parseInt(hex, 16);
        if (!Number.isFinite(code) || code > 0x10ffff) throw BAIL;
        return String.fromCodePoint(code);
      }
      return pick(sequenceText);
    }
    const ch = String.fromCodePoint(source.codePointAt(i) as number);
    i += ch.length;
    return ch;
  };
  const quantifier = (): [number, number] => {
    let q: [number, number] = [1, 1];
    const c = source[i];
    if (c === "*") q = [0, Number.POSITIVE_INFINITY];
    else if (c === "+") q = [1, Number.POSITIVE_INFINITY];
    else if (c === "?") q = [0, 1];
    else {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return q;
      const lo = Number(m[1]);
      q = [lo, m[2] === undefined ? lo : m[3] ? Number(m[3]) : Number.POSITIVE_INFINITY];
      i += m[0].length - 1;
    }
    i++;
    if (source[i] === "?") i++;
    return q;
  };
  try {
    const out = alternation();
    return i === source.length && length(out) <= MAX_STRING ? out : undefined;
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}
