/**
 * The one reading of a JSON Schema `pattern` (and of a `patternProperties` key): a JavaScript
 * regular expression with the `u` flag, as ajv compiles it (its `unicodeRegExp` option, on by
 * default and never turned off here). Every part of the package that asks "is this pattern valid?"
 * or "does this string match?" asks here, so that the schema stage, the compat engine and the
 * counterexample search give one answer: a pattern valid only without the `u` flag (`^\-`,
 * `[\w-a]`) is invalid for all of them, as it is for the validators the build ships.
 *
 * Schema utility (src/schema/): no stage, no I/O. ReDoS is judged elsewhere (redos.ts): compiling
 * a pattern says nothing about how long it may run.
 */

/** A pattern compiled: its RegExp, or JavaScript's reason for refusing it. */
export type CompiledPattern = { ok: true; regex: RegExp } | { ok: false; message: string };

/** Compiled patterns by source. Bounded: a hostile tree may hold any number of distinct patterns. */
const cache = new Map<string, CompiledPattern>();
const CACHE_LIMIT = 1000;

/**
 * `pattern` compiled as ajv compiles it, cached. The RegExp has no `g` or `y` flag, so `test` keeps
 * no state between calls and one RegExp may be shared by every caller.
 */
export function compilePattern(pattern: string): CompiledPattern {
  const known = cache.get(pattern);
  if (known) return known;
  let compiled: CompiledPattern;
  try {
    compiled = { ok: true, regex: new RegExp(pattern, "u") };
  } catch (e) {
    compiled = { ok: false, message: (e as Error).message };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

/** The RegExp of `pattern`, or undefined when it is not a valid pattern (it then matches nothing). */
export function patternRegex(pattern: string): RegExp | undefined {
  const compiled = compilePattern(pattern);
  return compiled.ok ? compiled.regex : undefined;
}
