/**
 * npm run build: events/ → dist/.
 *
 * 1. The pipeline checks events/, compiles what the cache does not hold, and generates the
 *    package's files (the root and system entries, one validator module per event, declarations,
 *    events.json): written by us, final, with no bundler in between.
 * 2. tsup bundles the hand-written parts: the CLI and its build worker (ESM), and the cleanup
 *    subpath (ESM + CommonJS with declarations).
 * 3. Both are written into a new folder beside dist/, which then replaces dist/ with a rename.
 * On any error (a diagnostic, or tsup failing) dist/ stays as it was, no temporary folder is left,
 * and the exit code is 1.
 */

import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Plugin } from "esbuild";
import { build as tsup } from "tsup";
import { hasErrors } from "../src/diagnostics.js";
import { emit, replaceDir } from "../src/emit.js";
import { render } from "../src/format.js";
import { build } from "../src/pipeline.js";

const started = performance.now();
const result = await build({ eventsDir: "events" });
if (!result.ok || hasErrors(result.diagnostics) || !result.files) {
  process.stdout.write(render("pretty", result.diagnostics, "nothing built"));
  process.exit(1);
}
if (result.diagnostics.length > 0) process.stdout.write(render("pretty", result.diagnostics, "warnings only"));

// The same files in build/generated/, which the hand-written sources (src/cleanup) import when
// type-checked or run from source.
await emit("build/generated", result.files);

/** In dist/, the cleanup subpath uses the system module beside it instead of bundling a copy. */
const generatedBesideDist: Plugin = {
  name: "generated-beside-dist",
  setup(build) {
    const cjs = build.initialOptions.format === "cjs";
    build.onResolve({ filter: /build\/generated\// }, (args) => ({
      path: `./${args.path.replace(/^.*build\/generated\//, "").replace(/\.js$/, cjs ? ".cjs" : ".js")}`,
      external: true,
    }));
  },
};

const pkg = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
try {
  await replaceDir("dist", async (out) => {
    for (const [name, text] of result.files ?? []) {
      await mkdir(path.dirname(path.join(out, name)), { recursive: true });
      await writeFile(path.join(out, name), text);
    }
    const outDir = path.relative(process.cwd(), out);
    const common = { outDir, target: "node20", sourcemap: false, splitting: false, silent: true, clean: false } as const;
    await tsup({
      ...common,
      entry: { cleanup: "src/cleanup/index.ts" },
      format: ["esm", "cjs"],
      dts: true,
      esbuildPlugins: [generatedBesideDist],
    });
    await tsup({
      ...common,
      entry: { cli: "src/cli.ts", "build-worker": "src/build/worker.ts" },
      format: ["esm"],
      dts: false,
      // The authoring tools stay out of the bundle: development dependencies, loaded on demand.
      external: ["json-schema-to-typescript", "glob", "recheck"],
      define: { __VERSION__: JSON.stringify(pkg.version) },
    });
  });
} catch (e) {
  process.stderr.write(`build failed, dist/ left as it was: ${(e as Error).message}\n`);
  process.exit(1);
}

const count = (JSON.parse(await readFile("dist/events.json", "utf8")) as unknown[]).length;
const s = result.stats;
process.stdout.write(
  `built dist/ from events/: ${count} event versions in ${((performance.now() - started) / 1000).toFixed(1)} s` +
    (s ? ` (compiled ${s.compiled}, ${s.cached} from the cache)\n` : "\n"),
);
