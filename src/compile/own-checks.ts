/**
 * The rewrites of ajv's validator code that split.ts makes before a function is emitted
 * (rewriteValidatorCode): each keeps every verdict and every error, and each is proven below where
 * it is made. They exist for speed (docs/performance.md): ajv's code with `ownProperties` asks
 * `hasOwnProperty` of every property it reads, makes an array of keys for every closed object and
 * counts the code points of every string with a length limit.
 *
 * - dropKnownOwnChecks: the own-property check that `properties` repeats for a property its
 *   `required` has just proven present is dropped;
 * - inlineKnownKeys: a key is tested against a wide `properties` by comparisons, not a call;
 * - ownKeyLoops: a closed object's keys are walked with `for…in`, not `Object.keys`;
 * - plainOwnChecks: an own-property check is answered without a call where the read that came
 *   before it can only have found the property on the object itself;
 * - lengthFirst: a string length limit asks the string's UTF-16 length before counting code points.
 *
 * Everything is matched on ajv's exact output; anything not recognised (a condition of another
 * shape, a `delete`, unbalanced text) leaves the code as it was. The tests rebuild each function
 * from its code with and without the rewrites and compare verdicts and errors
 * (test/own-checks.test.ts), and the JSON Schema Test Suite runs through the shipped modules.
 *
 * dropKnownOwnChecks in detail. With `ownProperties` (src/schema/ajv.ts), ajv checks every
 * property twice: its `required` code
 * fails unless `D.x !== undefined && hasOwnProperty.call(D, "x")` holds for each required name,
 * and with the first error only (`allErrors: false`) everything after a failed keyword of the
 * same schema sits in the `else` branch of that check. Inside that branch the `properties` code asks
 * `D.x !== undefined && hasOwnProperty.call(D, "x")` again for the same object `D` (each `dataN` of
 * ajv's code is bound once and never reassigned: no coercion, no defaults, no removal), which the
 * branch itself proves true. `P && T` equals `P` wherever `T` is true whenever it is evaluated, so
 * the second call goes and every verdict and error stays: own-property semantics (a polluted
 * `Object.prototype` is never read as data) are still decided by the `required` check, and a
 * property that is not required keeps both checks. The proof assumes that reading a property gives
 * the same answer twice, as for every JSON value; an accessor or proxy that answers differently
 * each time it is asked may be asked fewer times.
 */

/** `((D.x === undefined) || (!(H.call(D, "x")))) && (missingN = "x")`: one term of a required check. */
const REQUIRED_TERM =
  /\(\((data\d*)(\.[A-Za-z_$][\w$]*|\["(?:[^"\\]|\\.)*"\]) === undefined\) \|\| \(!\(([\w$]+)\.call\(\1, ("(?:[^"\\]|\\.)*")\)\)\)\) && \((missing\d+) = \4\)/g;

/** The rest of a required check's condition once its terms are removed: only grouping and `||`. */
const ONLY_GROUPING = /^[()| ]*$/;

/** Escapes text for use in a regular expression. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether `access` (`.name` or `["name"]`) reads the property that the JSON string `name` spells. */
function accessMatches(access: string, name: string): boolean {
  const key = JSON.parse(name) as string;
  return access.startsWith(".") ? access.slice(1) === key : access.slice(1, -1) === name;
}

/** The closing mates of `(`, `{` and `[` in a text: `get(i)` is the index of the mate of the opener at `i`. */
export interface Mates {
  get(open: number): number | undefined;
}

/** Char codes after which a `/` opens a regular-expression literal (ajv's code puts one only there). */
const BEFORE_REGEXP = new Set([..."(,=:[!&|?{};"].map((c) => c.charCodeAt(0)));

/**
 * For each `(`, `{` and `[` of `code` outside comments, string and regular-expression literals,
 * the index of its closing mate; undefined when the text does not balance. It runs over every
 * function a build compiles, once (rewriteValidatorCode): the mates are kept in a typed array, not
 * a Map of thousands of entries for the collector to walk.
 */
export function matchBrackets(code: string): Mates | undefined {
  const n = code.length;
  const mates = new Int32Array(n);
  const open = new Int32Array(n);
  let depth = 0;
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const c = code.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      i = skipString(code, i);
      if (i < 0) return undefined;
    } else if (c === 0x2f && code.charCodeAt(i + 1) === 0x2a) {
      // ajv's sourceURL comment (guardCode admits no other).
      i = code.indexOf("*/", i + 2) + 1;
      if (i === 0) return undefined;
      continue;
    } else if (c === 0x2f && BEFORE_REGEXP.has(previous)) {
      i = skipRegExp(code, i);
      if (i < 0) return undefined;
    } else if (c === 0x28 || c === 0x7b || c === 0x5b) open[depth++] = i;
    else if (c === 0x29 || c === 0x7d || c === 0x5d) {
      if (depth === 0) return undefined;
      const from = open[--depth] as number;
      // ")" is "(" + 1; "}" and "]" are "{" and "[" + 2.
      if (code.charCodeAt(from) !== (c === 0x29 ? 0x28 : c - 2)) return undefined;
      mates[from] = i;
    }
    if (c !== 0x20) previous = c;
  }
  if (depth !== 0) return undefined;
  return { get: (at) => (at >= 0 && at < n && mates[at] !== 0 ? mates[at] : undefined) };
}

/** The index of the closing quote of the string literal that opens at `from`, or -1. */
function skipString(code: string, from: number): number {
  const quote = code.charCodeAt(from);
  for (let i = from + 1; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === quote) return i;
    else if (c === 0x0a) return -1;
  }
  return -1;
}

/** The index of the closing slash (or last flag) of the regular-expression literal at `from`, or -1. */
function skipRegExp(code: string, from: number): number {
  let inClass = false;
  for (let i = from + 1; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x0a) return -1;
    else if (c === 0x5b) inClass = true;
    else if (c === 0x5d) inClass = false;
    else if (c === 0x2f && !inClass) {
      for (let f = code.charCodeAt(i + 1); f >= 0x61 && f <= 0x7a; f = code.charCodeAt(i + 1)) i++;
      return i;
    }
  }
  return -1;
}

/** A required check: the branch where it passed, and the properties it proved own there. */
interface ProvenBranch {
  from: number;
  to: number;
  proven: { data: string; access: string; name: string }[];
}

/** The required checks of `code` whose condition is nothing but required terms, with their `else` branch. */
function provenBranches(code: string, hasOwn: string, mates: Mates): ProvenBranch[] {
  const out: ProvenBranch[] = [];
  for (const m of code.matchAll(/let (missing\d+);if\(/g)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    const close = mates.get(open);
    if (close === undefined || code[close + 1] !== "{") continue;
    const condition = code.slice(open + 1, close);
    const proven: ProvenBranch["proven"] = [];
    let foreign = false;
    const rest = condition.replace(REQUIRED_TERM, (_t, data: string, access: string, h: string, name: string, missing: string) => {
      if (h !== hasOwn || missing !== m[1] || !accessMatches(access, name)) foreign = true;
      proven.push({ data, access, name });
      return "";
    });
    if (foreign || proven.length === 0 || !ONLY_GROUPING.test(rest)) continue;
    const errorEnd = mates.get(close + 1);
    if (errorEnd === undefined || !code.startsWith("else {", errorEnd + 1)) continue;
    const elseOpen = errorEnd + "else ".length + 1;
    const elseClose = mates.get(elseOpen);
    if (elseClose === undefined) continue;
    out.push({ from: elseOpen, to: elseClose, proven });
  }
  return out;
}

/**
 * `code` (one function of ajv's output) without the own-property checks that a passed `required`
 * check already made; `hasOwn` is the name ajv gave `Object.prototype.hasOwnProperty` in it.
 * One pass finds every `D.x !== undefined && H.call(D, "x")` of the code; each is cut where a
 * branch around it proved that very property of that very object.
 */
export function dropKnownOwnChecks(code: string, hasOwn: string | undefined): string {
  return withMates(code, hasOwn, knownOwnCuts);
}

/** The cuts of dropKnownOwnChecks. */
function knownOwnCuts(code: string, hasOwn: string, mates: Mates): Edit[] {
  const branches = provenBranches(code, hasOwn, mates).map((b) => ({
    ...b,
    keys: new Set(b.proven.map(({ data, access, name }) => `${data}${access}\0${name}`)),
  }));
  if (branches.length === 0) return [];
  // The cut is the term's ` && H.call(D, "x")`, inside a branch that proved that property of that object.
  const cuts: Edit[] = [];
  for (const c of guardedChecks(code, hasOwn)) {
    const at = c.at - " && ".length;
    const key = `${c.data}${c.access}\0${c.name}`;
    if (branches.some((b) => c.start > b.from && at < b.to && b.keys.has(key)))
      cuts.push({ at, length: c.length + " && ".length, text: "" });
  }
  return cuts;
}

/** An own-property check in ajv's code: where its term starts, where its call is, and what it asks of which object. */
interface OwnCheck {
  start: number;
  at: number;
  length: number;
  data: string;
  access: string;
  name: string;
}

/**
 * Every `D.x !== undefined && H.call(D, "x")` of `code` that is a term of a condition (after `(`,
 * `&& ` or `|| `, before `)`, ` &&` or ` ||`): `properties` asking for a property it then reads.
 */
function guardedChecks(code: string, hasOwn: string): OwnCheck[] {
  const term = new RegExp(
    `(data\\d*)(\\.[A-Za-z_$][\\w$]*|\\["(?:[^"\\\\]|\\\\.)*"\\]) !== undefined && (${literal(hasOwn)}\\.call\\(\\1, ("(?:[^"\\\\]|\\\\.)*")\\))(?=\\)| &&| \\|\\|)`,
    "g",
  );
  const out: OwnCheck[] = [];
  for (const m of code.matchAll(term)) {
    const [whole, data, access, call, name] = m as unknown as [string, string, string, string, string];
    const start = m.index ?? 0;
    if (!(code[start - 1] === "(" || code.endsWith("&& ", start) || code.endsWith("|| ", start))) continue;
    out.push({ start, at: start + whole.length - call.length, length: call.length, data, access, name });
  }
  return out;
}

/** Every term of a `required` check of `code` (REQUIRED_TERM) whose call is `hasOwn`'s. */
function requiredChecks(code: string, hasOwn: string): OwnCheck[] {
  const out: OwnCheck[] = [];
  for (const m of code.matchAll(REQUIRED_TERM)) {
    const [, data, access, h, name] = m as unknown as [string, string, string, string, string];
    if (h !== hasOwn) continue;
    const start = m.index ?? 0;
    const at = start + `((${data}${access} === undefined) || (!(`.length;
    out.push({ start, at, length: `${h}.call(${data}, ${name})`.length, data, access, name });
  }
  return out;
}

/** One change to a text: `length` characters at `at` replaced by `text`. */
interface Edit {
  at: number;
  length: number;
  text: string;
}

/**
 * `code` with the edits `find` makes from its brackets, or as it was when ajv's code holds no
 * own-property check and no key loop, or may change its data (a `delete`), or does not balance.
 */
function withMates(code: string, hasOwn: string | undefined, ...find: ((code: string, hasOwn: string, mates: Mates) => Edit[])[]): string {
  if (hasOwn === undefined || /\bdelete\b/.test(code)) return code;
  if (!code.includes(`${hasOwn}.call(`) && !code.includes("of Object.keys(")) return code;
  const mates = matchBrackets(code);
  return mates
    ? applyEdits(
        code,
        find.flatMap((f) => f(code, hasOwn, mates)),
      )
    : code;
}

/**
 * `code` with each `hasOwnProperty.call(S.properties, key)` (ajv's test of a key against a
 * `properties` of more than eight names, for `additionalProperties`) written as `key === "a" || …`
 * over the names of that `properties`. `schemas` gives the schema object behind each of ajv's
 * `schemaN` names; the emitted constant is that object's JSON, whose own keys are exactly these
 * names, never changed (no error parameter hands out a `properties` object). A `__proto__` name is
 * left to the call: in an object literal it sets the prototype instead of making a key.
 */
export function inlineKnownKeys(code: string, hasOwn: string | undefined, schemas: ReadonlyMap<string, unknown>): string {
  if (hasOwn === undefined) return code;
  const call = new RegExp(`${literal(hasOwn)}\\.call\\(([\\w$]+)\\.properties, (key\\d+)\\)`, "g");
  return code.replace(call, (whole, schema: string, key: string) => {
    const properties = (schemas.get(schema) as { properties?: unknown } | undefined)?.properties;
    if (typeof properties !== "object" || properties === null || Array.isArray(properties)) return whole;
    const names = Object.keys(properties);
    if (names.length === 0 || names.includes("__proto__")) return whole;
    return `(${names.map((n) => `${key} === ${JSON.stringify(n)}`).join(" || ")})`;
  });
}

/** A condition on a key that reads nothing but the key: `K === "a"`, `R.test(K)`, a known-names call, `!`, `||`, grouping. */
function isPureKeyTest(condition: string, key: string, hasOwn: string): boolean {
  const k = literal(key);
  const term = new RegExp(`${k} === ""|[\\w$]+\\.test\\(${k}\\)|${literal(hasOwn)}\\.call\\([\\w$]+\\.properties, ${k}\\)`, "g");
  return /^[()|! ]*$/.test(condition.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(term, ""));
}

/**
 * `code` with each key loop of the form `for(const K of Object.keys(D)){if(C){…}}` (ajv's
 * `additionalProperties` and `patternProperties` with own properties only) written as
 * `for(const K in D){if((C) && H.call(D, K)){…}}`: the same keys reach the body, in the same
 * order, without an array made per object. `for…in` visits the own enumerable string keys first,
 * in Object.keys' order, then the enumerable keys the prototype chain adds that no own key
 * shadows; `H.call(D, K)` lets only the own ones through, and since `C` only looks at the key
 * (isPureKeyTest), asking it first changes nothing but how often `hasOwnProperty` is called: a
 * key `C` turns away is never looked up. The loop must be nothing but that `if` (so a `break`
 * or `continue` in it still means what it meant), and ajv's code must not change `D` (no `delete`:
 * no option that removes or adds properties is on).
 */
export function ownKeyLoops(code: string, hasOwn: string | undefined): string {
  return withMates(code, hasOwn, keyLoopEdits);
}

/** The edits of ownKeyLoops. */
function keyLoopEdits(code: string, hasOwn: string, mates: Mates): Edit[] {
  const edits: Edit[] = [];
  for (const m of code.matchAll(/for\(const (key\d+) of Object\.keys\((data\d*)\)\)\{if\(/g)) {
    const [head, key, data] = m as unknown as [string, string, string];
    const start = m.index ?? 0;
    const body = start + head.indexOf("{");
    const ifOpen = body + "{if".length;
    const ifClose = mates.get(ifOpen);
    if (ifClose === undefined || code[ifClose + 1] !== "{" || mates.get(ifClose + 1) !== (mates.get(body) as number) - 1) continue;
    if (!isPureKeyTest(code.slice(ifOpen + 1, ifClose), key, hasOwn)) continue;
    edits.push({ at: start, length: body - start, text: `for(const ${key} in ${data})` });
    edits.push({ at: ifOpen + 1, length: 0, text: "(" });
    edits.push({ at: ifClose, length: 0, text: `) && ${hasOwn}.call(${data}, ${key})` });
  }
  return edits;
}

/**
 * `code` with each string-length limit that counts code points (`U(D) > n` for `maxLength`,
 * `U(D) < n` for `minLength`; `U` is ajv's ucs2length, named `ucs2length` here) asking the UTF-16
 * length first. A string of `len` units has between ⌈len/2⌉ and `len` code points, so
 * `U(D) > n` can only hold when `len > n`, and `U(D) < n` holds whenever `len < n` and can only
 * hold when `len < 2n`: the count is made only where the length cannot decide.
 */
export function lengthFirst(code: string, ucs2length: string | undefined): string {
  if (ucs2length === undefined) return code;
  const limit = new RegExp(`if\\(${literal(ucs2length)}\\((data\\d*)\\) ([<>]) (\\d+)\\)\\{`, "g");
  return code.replace(limit, (whole, data: string, op: string, digits: string) => {
    const n = Number(digits);
    if (!Number.isSafeInteger(2 * n)) return whole;
    const count = `${ucs2length}(${data}) ${op} ${n}`;
    return op === ">" ? `if(${data}.length > ${n} && ${count}){` : `if(${data}.length < ${n} || (${data}.length < ${2 * n} && ${count})){`;
  });
}

/** `code` with each edit made (insertions and replacements at increasing, non-overlapping positions). */
function applyEdits(code: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return code;
  const sorted = [...edits].sort((a, b) => a.at - b.at);
  let out = "";
  let from = 0;
  for (const e of sorted) {
    out += code.slice(from, e.at) + e.text;
    from = e.at + e.length;
  }
  return out + code.slice(from);
}

/**
 * `code` with each own-property check that follows a read of the same property — `D.x !== undefined
 * && H.call(D, "x")`, and the `required` term `(D.x === undefined) || (!(H.call(D, "x")))` — first
 * asking whether the read could have come from anywhere but `D` itself:
 * `(__protoOf(D) === __proto && !("x" in __proto) || H.call(D, "x"))`, where every validator module
 * binds `__proto` to `Object.prototype` and `__protoOf` to `Object.getPrototypeOf` when it is loaded
 * (VALIDATOR_PRELUDE, src/generate/index.ts).
 * When `D`'s prototype is `Object.prototype` and that has no property `x` (its own prototype is null
 * and cannot change, so `in` asks about its own properties and runs no getter), a read of `D.x`
 * that gave something other than undefined found `x` on `D`: the property is own, and the call
 * is not needed. A polluted `Object.prototype` (one with an `x`), an object of another prototype,
 * one made with a null prototype: the call decides, as before. The one object this does not hold
 * for is a Proxy whose traps contradict each other (one that names `Object.prototype` as its
 * prototype and answers a read of `x` while denying an own `x`); a JSON value is never one.
 */
export function plainOwnChecks(code: string, hasOwn: string | undefined): string {
  if (hasOwn === undefined || !code.includes(`${hasOwn}.call(`)) return code;
  const edits = [...guardedChecks(code, hasOwn), ...requiredChecks(code, hasOwn)]
    .filter((c) => accessMatches(c.access, c.name))
    .map((c) => ({
      at: c.at,
      length: c.length,
      text: `(__protoOf(${c.data}) === __proto && !(${c.name} in __proto) || ${code.slice(c.at, c.at + c.length)})`,
    }));
  return applyEdits(code, edits);
}

/** The names of ajv's code that the rewrites read: its `hasOwnProperty`, its ucs2length, its schema objects. */
export interface CodeNames {
  hasOwn: string | undefined;
  ucs2length: string | undefined;
  schemas: ReadonlyMap<string, unknown>;
}

/** One function of ajv's code with every rewrite of this file made, in the order they rely on. */
export function rewriteValidatorCode(code: string, names: CodeNames): string {
  // The two rewrites that read the brackets find their edits over one matching of them.
  const edited = withMates(code, names.hasOwn, knownOwnCuts, keyLoopEdits);
  return lengthFirst(plainOwnChecks(inlineKnownKeys(edited, names.hasOwn, names.schemas), names.hasOwn), names.ucs2length);
}
