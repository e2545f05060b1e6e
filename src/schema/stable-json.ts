/**
 * Sorted-key JSON: one text per JSON value, whatever the order its objects' keys were written in,
 * so that equal values give equal text. It is an identity, not a format: the compat engine compares
 * `enum` members, `default`s and subschemas by it, the release diff compares a version's schema
 * with its released one. Nothing here is written to a file.
 *
 * Not the canonical form of canonical.ts: that one is the layout `fmt` writes for people (keys in the
 * house's keyword order, the author's order elsewhere, numbers as written), read from a file's text.
 *
 * Schema utility (src/schema/): pure, no I/O.
 */

/**
 * `value` as compact JSON with every object's keys in code-unit order (not JavaScript's order, which
 * puts integer-like keys first). Members whose value JSON cannot hold (undefined, functions) are left
 * out and array holes written `null`, as JSON.stringify does; a value that is not JSON at all gives
 * `"null"`.
 */
export function sortedKeyJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (isJsonless(item) ? "null" : sortedKeyJson(item))).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => !isJsonless(record[key]))
      .map((key) => `${JSON.stringify(key)}:${sortedKeyJson(record[key])}`);
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A value JSON.stringify leaves out of an object (and writes `null` in an array). */
function isJsonless(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}
