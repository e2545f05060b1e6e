/**
 * The architecture, as the imports of src/ show it: no import cycle but the compatibility engine's
 * own recursion (compat/engine/), and no import from a lower layer to a higher one (ARCHITECTURE.md
 * names the layers). Type-only imports count: a contract in the wrong room is the problem either way.
 */

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../src");

/** Every source file of src/, relative to it, with forward slashes. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.name.endsWith(".ts") ? [path.relative(SRC, full).split(path.sep).join("/")] : [];
  });
}

/** The files of src/ each file imports (static and dynamic imports, `export … from`). */
function importGraph(): Map<string, string[]> {
  const files = new Set(sourceFiles());
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(SRC, file), "utf8");
    const targets = new Set<string>();
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1] as string)).replace(/\.js$/, ".ts");
      if (files.has(target)) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one file (or a file importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, order.get(w) as number));
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!order.has(v)) visit(v);
  return found;
}

/**
 * The layers, lowest first. A file may import its own layer and the layers below it. The folder
 * decides the layer; the root's pipeline.ts composes the stages and cli.ts starts the CLI. The
 * runtime (shipped in dist/) imports nothing, so everything may use it: the CLI renders ajv's
 * errors with the very code the services run.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["runtime"],
  ["diagnostics"],
  ["model"],
  // The hints know the formats (a model contract) and the schema utilities: above the model.
  ["schema", "diagnostics/hints.ts"],
  ["stages"],
  ["compile"],
  ["generate", "cleanup"],
  ["compat", "catalog"],
  ["pipeline.ts", "instances", "authoring"],
  ["commands"],
  ["cli", "cli.ts"],
];

function layerOf(file: string): number {
  const top = file.split("/")[0] as string;
  const own = LAYERS.findIndex((names) => names.includes(file));
  const layer = own !== -1 ? own : LAYERS.findIndex((names) => names.includes(top));
  if (layer === -1) throw new Error(`${file}: its folder has no layer in this test's LAYERS; add it where it belongs`);
  return layer;
}

describe("the architecture of src/", () => {
  const graph = importGraph();

  it("has no import cycle outside the compatibility engine's recursion", () => {
    const outside = cycles(graph).filter((c) => !c.every((f) => f.startsWith("compat/engine/")));
    expect(outside).toEqual([]);
  });

  it("imports only downwards: no file imports a layer above its own", () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) if (layerOf(target) > layerOf(file)) upward.push(`${file} → ${target}`);
    }
    expect(upward).toEqual([]);
  });

  it("keeps a handful of files at the root of src/, and no source file over 600 lines", () => {
    const files = sourceFiles();
    expect(files.filter((f) => !f.includes("/")).sort()).toEqual(["cli.ts", "pipeline.ts"]);
    const long = files.filter((f) => readFileSync(path.join(SRC, f), "utf8").split("\n").length > 600);
    expect(long).toEqual([]);
  });
});
