/**
 * The package root: the module generated from events/ by `npm run build` (scripts/build.ts), which
 * tsup turns into dist/index.js (ESM), dist/index.cjs (CommonJS) and their declarations.
 */

export * from "../build/generated/index.js";
