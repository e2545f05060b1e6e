/**
 * One post-process of ajv's validator code, applied by split.ts before a function is emitted: the
 * own-property check that a `properties` keyword repeats for a property its `required` keyword has
 * just proven present is dropped.
 *
 * With `ownProperties` (src/schema/ajv.ts), ajv checks every property twice: its `required` code
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
 *
 * Everything is matched on ajv's exact output; anything not recognised (a condition of another
 * shape, a `delete`, unbalanced text) leaves the code as it was.
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

/**
 * For each `(`, `{` and `[` of `code` outside comments, string and regular-expression literals,
 * the index of its closing mate; undefined when the text does not balance.
 */
export function matchBrackets(code: string): Map<number, number> | undefined {
  const mates = new Map<number, number>();
  const open: number[] = [];
  let previous = "";
  for (let i = 0; i < code.length; i++) {
    const c = code[i] as string;
    if (c === '"' || c === "'") {
      i = skipString(code, i);
      if (i < 0) return undefined;
    } else if (c === "/" && code[i + 1] === "*") {
      // ajv's sourceURL comment (guardCode admits no other).
      i = code.indexOf("*/", i + 2) + 1;
      if (i === 0) return undefined;
      continue;
    } else if (c === "/" && /[(,=:[!&|?{};]/.test(previous)) {
      i = skipRegExp(code, i);
      if (i < 0) return undefined;
    } else if (c === "(" || c === "{" || c === "[") open.push(i);
    else if (c === ")" || c === "}" || c === "]") {
      const from = open.pop();
      if (from === undefined || code[from] !== { ")": "(", "}": "{", "]": "[" }[c]) return undefined;
      mates.set(from, i);
    }
    if (c !== " ") previous = c;
  }
  return open.length === 0 ? mates : undefined;
}

/** The index of the closing quote of the string literal that opens at `from`, or -1. */
function skipString(code: string, from: number): number {
  const quote = code[from];
  for (let i = from + 1; i < code.length; i++) {
    if (code[i] === "\\") i++;
    else if (code[i] === quote) return i;
    else if (code[i] === "\n") return -1;
  }
  return -1;
}

/** The index of the closing slash (or last flag) of the regular-expression literal at `from`, or -1. */
function skipRegExp(code: string, from: number): number {
  let inClass = false;
  for (let i = from + 1; i < code.length; i++) {
    const c = code[i];
    if (c === "\\") i++;
    else if (c === "\n") return -1;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) {
      while (/[a-z]/.test(code[i + 1] ?? "")) i++;
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
function provenBranches(code: string, hasOwn: string, mates: Map<number, number>): ProvenBranch[] {
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
  if (hasOwn === undefined || !code.includes(`${hasOwn}.call(`) || /\bdelete\b/.test(code)) return code;
  const mates = matchBrackets(code);
  if (!mates) return code;
  const branches = provenBranches(code, hasOwn, mates).map((b) => ({
    ...b,
    keys: new Set(b.proven.map(({ data, access, name }) => `${data}${access}\0${name}`)),
  }));
  if (branches.length === 0) return code;
  const check = new RegExp(
    `(data\\d*)(\\.[A-Za-z_$][\\w$]*|\\["(?:[^"\\\\]|\\\\.)*"\\]) !== undefined( && ${literal(hasOwn)}\\.call\\(\\1, ("(?:[^"\\\\]|\\\\.)*")\\))(?=\\)| &&| \\|\\|)`,
    "g",
  );
  const cuts: [number, number][] = [];
  for (const c of code.matchAll(check)) {
    const start = c.index ?? 0;
    // Only as a term of a condition: after `(`, `&& ` or `|| `.
    if (!(code[start - 1] === "(" || code.endsWith("&& ", start) || code.endsWith("|| ", start))) continue;
    const key = `${c[1]}${c[2]}\0${c[4]}`;
    const at = start + c[0].length - (c[3] as string).length;
    if (branches.some((b) => start > b.from && at < b.to && b.keys.has(key))) cuts.push([at, at + (c[3] as string).length]);
  }
  if (cuts.length === 0) return code;
  let out = "";
  let from = 0;
  for (const [cut, to] of cuts) {
    out += code.slice(from, cut);
    from = to;
  }
  return out + code.slice(from);
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
