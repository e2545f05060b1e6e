/**
 * Limits on what one schema file may hold. Schemas come from pull requests and their generated
 * code runs in every consuming service: a file past a limit is an error, not a slow or crashing
 * build. ajv and json-schema-to-typescript overflow the stack at schema depths of 500–1000; these
 * limits stay far below that and far above any real event schema.
 */
export const LIMITS = {
  /** Bytes of one file (LAYOUT_LIMIT_SIZE). */
  fileBytes: 1024 * 1024,
  /** Nesting of objects and arrays in one file (PARSE_LIMIT_DEPTH). */
  depth: 64,
  /** Keys of one object, or items of one array (PARSE_LIMIT_MEMBERS). */
  members: 1000,
  /** Milliseconds the ReDoS analyser may spend on one pattern before it answers "unknown". */
  patternCheckMs: 2000,
} as const;
