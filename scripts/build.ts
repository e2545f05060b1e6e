/**
 * npm run build: events/ → dist/.
 *
 * 1. The pipeline checks events/ and generates the module into build/generated/ (atomically).
 * 2. tsup bundles src/index.ts (which re-exports that module) and one entry per system module as
 *    ESM + CommonJS with declarations, and the CLI as ESM, into a new folder beside dist/;
 *    events.json is copied next to them.
 * 3. That folder replaces dist/ with a rename.
 * On any error (a diagnostic, or tsup failing) dist/ stays as it was, no temporary folder is left,
 * and the exit code is 1.
 */

import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { build as tsup } from "tsup";
import { hasErrors } from "../src/diagnostics.js";
import { replaceDir } from "../src/emit.js";
import { render } from "../src/format.js";
import { build } from "../src/pipeline.js";

const generated = "build/generated";
const started = performance.now();
const result = await build({ eventsDir: "events", outDir: generated });
if (!result.ok || hasErrors(result.diagnostics)) {
  process.stdout.write(render("pretty", result.diagnostics, "nothing built"));
  process.exit(1);
}
if (result.diagnostics.length > 0) process.stdout.write(render("pretty", result.diagnostics, "warnings only"));

// One tsup entry per system module (`<package>/<system>`): a TypeScript file re-exporting it, so
// that tsup bundles its declarations too.
const systems = (await readdir(`${generated}/systems`)).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3));
const entries: Record<string, string> = { index: "src/index.ts", cleanup: "src/cleanup/index.ts" };
await rm("build/entries", { recursive: true, force: true });
await mkdir("build/entries/systems", { recursive: true });
for (const system of systems) {
  const file = `build/entries/systems/${system}.ts`;
  await writeFile(file, `export * from "../../generated/systems/${system}.js";\n`);
  entries[`systems/${system}`] = file;
}

const pkg = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
try {
  await replaceDir("dist", async (out) => {
    const outDir = path.relative(process.cwd(), out);
    const common = { outDir, target: "node20", sourcemap: false, splitting: false, silent: true, clean: false } as const;
    await tsup({ ...common, entry: entries, format: ["esm", "cjs"], dts: true });
    await tsup({
      ...common,
      entry: { cli: "src/cli.ts" },
      format: ["esm"],
      dts: false,
      // The authoring tools stay out of the bundle: development dependencies, loaded on demand.
      external: ["json-schema-to-typescript", "glob", "recheck"],
      define: { __VERSION__: JSON.stringify(pkg.version) },
    });
    await copyFile(`${generated}/events.json`, path.join(out, "events.json"));
  });
} catch (e) {
  process.stderr.write(`build failed, dist/ left as it was: ${(e as Error).message}\n`);
  process.exit(1);
}

const count = (JSON.parse(await readFile("dist/events.json", "utf8")) as unknown[]).length;
process.stdout.write(`built dist/ from events/: ${count} event versions in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
