/**
 * The JSON Canonicalization Scheme (RFC 8785): the one serialisation of a JSON value that a signer
 * and a verifier, in any language, agree on byte for byte. What CLH signs and every system verifies
 * (signature.ts) is this text of the cleanup signal.
 *
 * - No whitespace; array elements in their order.
 * - Object members sorted by their names as arrays of UTF-16 code units (what JavaScript's default
 *   string comparison does), each name once.
 * - Strings as ECMAScript's JSON.stringify writes them (`"`, `\` and the control characters
 *   escaped, `\u00XX` in lowercase hex, everything else as it is), which is the RFC's rule.
 * - Numbers as ECMAScript writes a double (`1e+21`, `1e-7`, `0` for -0), again the RFC's rule.
 *
 * Only I-JSON is canonical: a string with a lone surrogate, a number that is not finite, and
 * anything JSON cannot hold (undefined, functions, symbols, bigints, class instances such as Date,
 * a value that contains itself) throw a CanonicalJsonError rather than being written some way a
 * verifier elsewhere would not write them.
 */

/** A value that has no canonical JSON form. */
export class CanonicalJsonError extends Error {
  override name = "CanonicalJsonError";
}

/** The RFC 8785 serialisation of `value`; throws CanonicalJsonError for what I-JSON cannot hold. */
export function canonicalJson(value: unknown): string {
  return write(value, "", new Set());
}

function write(value: unknown, at: string, open: Set<object>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${where(at)} is ${value}, which JSON cannot hold`);
      return JSON.stringify(value);
    case "string":
      return string(value, at);
    case "object":
      break;
    default:
      throw new CanonicalJsonError(`${where(at)} is a ${typeof value}, which JSON cannot hold`);
  }
  const object = value as object;
  if (open.has(object)) throw new CanonicalJsonError(`${where(at)} contains itself`);
  open.add(object);
  try {
    if (Array.isArray(object)) return `[${object.map((item, i) => write(item, `${at}/${i}`, open)).join(",")}]`;
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError(`${where(at)} is not a plain object`);
    const names = Object.keys(object).sort();
    const members = names.map((name) => {
      const member = `${at}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      return `${string(name, member)}:${write((object as Record<string, unknown>)[name], member, open)}`;
    });
    return `{${members.join(",")}}`;
  } finally {
    open.delete(object);
  }
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function string(text: string, at: string): string {
  if (LONE_SURROGATE.test(text)) throw new CanonicalJsonError(`${where(at)} holds a lone surrogate, which I-JSON does not allow`);
  return JSON.stringify(text);
}

function where(at: string): string {
  return at === "" ? "the value" : `the value at ${at}`;
}
