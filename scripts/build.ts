/**
 * npm run build: events/ → dist/.
 *
 * 1. The pipeline checks events/, compiles what the cache does not hold, and generates the
 *    package's files (the root and system entries, one validator module per event, declarations,
 *    events.json): written by us, final, with no bundler in between.
 * 2. tsup bundles the hand-written parts: the CLI and its build worker (ESM), and the cleanup
 *    subpath (ESM + CommonJS with declarations).
 * 3. Both are written into a new folder beside dist/, which then replaces dist/ (src/stages/emit.ts:
 *    replaceDir, under a lock, with a manifest, recovered after a crash).
 * On any error (a diagnostic, tsup failing, dist/ holding files the build did not write) dist/
 * stays as it was, no temporary folder is left, and the exit code is 1.
 *
 * dist/ and build/generated/ are this repository's own build folders (gitignored): one without a
 * manifest (made before manifests existed) is replaced; once it has one, a file the build did not
 * write is refused like in any output folder. dist/'s manifest is not published: it is the
 * build's record for the next build into dist/, not part of the package (npm's tarball carries its
 * own integrity), so dist/.npmignore, written by the build, keeps it out of the tarball (npm reads
 * a .npmignore in a folder that `files` names, and never packs a .npmignore itself).
 */

import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Plugin } from "esbuild";
import { build as tsup } from "tsup";
import { render } from "../src/cli/render.js";
import { hasErrors } from "../src/diagnostics/index.js";
import { build } from "../src/pipeline.js";
import { emit, MANIFEST, replaceDir } from "../src/stages/emit/index.js";

const started = performance.now();
const result = await build({ eventsDir: "events" });
if (!result.ok || hasErrors(result.diagnostics) || !result.files) {
  process.stdout.write(render("pretty", result.diagnostics, "nothing built"));
  process.exit(1);
}
if (result.diagnostics.length > 0) process.stdout.write(render("pretty", result.diagnostics, "warnings only"));

// The same files in build/generated/, which the hand-written sources (src/cleanup) import when
// type-checked or run from source.
try {
  await emit("build/generated", result.files, { unrecorded: "replace" });
} catch (e) {
  process.stderr.write(`build failed, build/generated/ and dist/ left as they were: ${(e as Error).message}\n`);
  process.exit(1);
}

/** In dist/, the cleanup subpath uses the system module beside it instead of bundling a copy. */
const generatedBesideDist: Plugin = {
  name: "generated-beside-dist",
  setup(build) {
    const cjs = build.initialOptions.format === "cjs";
    // Modules only: data (cleanup.json) is bundled, as Node's ESM loader wants an import attribute for JSON.
    build.onResolve({ filter: /build\/generated\/.*\.js$/ }, (args) => ({
      path: `./${args.path.replace(/^.*build\/generated\//, "").replace(/\.js$/, cjs ? ".cjs" : ".js")}`,
      external: true,
    }));
  },
};

const pkg = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
try {
  await replaceDir(
    "dist",
    async (out) => {
      for (const [name, text] of result.files ?? []) {
        await mkdir(path.dirname(path.join(out, name)), { recursive: true });
        await writeFile(path.join(out, name), text);
      }
      await writeFile(path.join(out, ".npmignore"), `${MANIFEST}\n`);
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
        entry: { cli: "src/cli.ts", "build-worker": "src/compile/worker.ts" },
        format: ["esm"],
        dts: false,
        // The authoring tools stay out of the bundle: development dependencies, loaded on demand.
        external: ["json-schema-to-typescript", "glob", "recheck"],
        // Every command starts by loading this bundle: without its whitespace and with its syntax
        // shortened it is a sixth smaller and loads about 9 ms faster (names kept: stack traces read).
        minifyWhitespace: true,
        minifySyntax: true,
        define: { __VERSION__: JSON.stringify(pkg.version) },
      });
    },
    { unrecorded: "replace" },
  );
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
