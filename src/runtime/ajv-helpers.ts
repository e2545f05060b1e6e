/**
 * The helpers that ajv's standalone validators call. ajv's own code would `require` them from
 * ajv/dist/runtime; src/generate/split.ts rewrites those requires to the runtime's `__ucs2length`
 * and `__equal`, so that a generated package needs nothing of ajv at run time. Both must give
 * exactly ajv's answers (test/validators.test.ts runs the same samples through ajv and the
 * generated validators; test/runtime.test.ts checks these two against ajv's own).
 */

/** Length in code points, as JSON Schema counts string length: a surrogate pair is one character. */
export function ucs2length(str: string): number {
  let length = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
      const n = str.charCodeAt(i + 1);
      if ((n & 0xfc00) === 0xdc00) i++;
    }
    length++;
  }
  return length;
}

/** Deep equality of JSON values, for const, enum and uniqueItems (NaN equals NaN, as in ajv). */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => equal(v, (b as unknown[])[i]));
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((k) => Object.hasOwn(y, k) && equal(x[k], y[k]));
}
