/**
 * Limits on what one schema file, and the schemas it refers to, may hold. Schemas come from pull
 * requests and their generated code runs in every consuming service: a file past a limit is an
 * error, not a slow or crashing build. ajv and json-schema-to-typescript overflow the stack at schema depths of 500–1000; these
 * limits stay far below that and far above any real event schema.
 */
export const LIMITS = {
  /** Bytes of one file (LAYOUT_LIMIT_SIZE). */
  fileBytes: 1024 * 1024,
  /** Nesting of objects and arrays in one file (PARSE_LIMIT_DEPTH). */
  depth: 64,
  /**
   * Schemas nested in one another, counted through references across files: the longest path of
   * subschema and `$ref` steps below any schema (SCHEMA_REF_DEPTH). The per-file depth cannot
   * bound it (a chain of one-line files can be any length), and ajv and json-schema-to-typescript
   * recurse once per step: around 400 steps overflow their stacks. Worked out over the whole tree
   * on every run (from each file's reference summary), never from per-file verdicts of the cache.
   */
  schemaDepth: 128,
  /** Keys of one object, or items of one array (PARSE_LIMIT_MEMBERS). */
  members: 1000,
  /** Milliseconds the ReDoS analyser may spend on one pattern before it answers "unknown". */
  patternCheckMs: 2000,
} as const;
