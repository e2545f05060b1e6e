/**
 * The declarations' half of the compile stage: json-schema-to-typescript compiles a types root
 * (one per system, and one for the shared definitions: generate/types.ts makes them) into
 * declarations, which are then cleaned of the root and indented. Run in this thread or in a worker
 * (worker.ts), cached by content hash (index.ts). The generators only assemble the texts it made.
 */

import { authoringTool } from "../schema/authoring-tools.js";

/** The name of the bundle root json-schema-to-typescript compiles; removed from the output. */
export const ROOT = "DomainEventsBundleRoot";

/** json-schema-to-typescript's options: one text per root, no formatting (too slow), no tuple unions. */
const OPTIONS = {
  bannerComment: "",
  format: false,
  unreachableDefinitions: true,
  maxItems: -1,
  strictIndexSignatures: true,
  $refOptions: { resolve: { http: false, file: false } },
} as const;

/** Compiles one types root into cleaned-up declarations (json-schema-to-typescript, loaded on demand). */
export async function compileTypes(root: Record<string, unknown>, name: string): Promise<string> {
  const { compile } = await authoringTool<typeof import("json-schema-to-typescript")>("json-schema-to-typescript");
  return indent(cleanup(await compile(root as never, name, OPTIONS as never)));
}

/** Removes the root's declaration and the comments that mention it; one-line comments on one line. */
function cleanup(ts: string): string {
  return ts
    .replace(new RegExp(`export interface ${ROOT} \\{\\n*\\}\\n?`), "")
    .replace(/\n \* ?\n \* This (?:interface|type) was referenced by `[^`]*`'s JSON-Schema\n \* via the `definition` "[^"]*"\./g, "")
    .replace(/\n \* This (?:interface|type) was referenced by `[^`]*`'s JSON-Schema\n \* via the `definition` "[^"]*"\./g, "")
    .replace(/\/\*\*\n \*\/\n/g, "")
    .replace(/\/\*\*\n \* ([^\n]*)\n \*\//g, "/** $1 */");
}

/** Indents json-schema-to-typescript's unformatted output by brace depth (Prettier is too slow). */
function indent(ts: string): string {
  let depth = 0;
  const out: string[] = [];
  for (const raw of ts.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    if (/^[}\])]/.test(line)) depth = Math.max(0, depth - 1);
    const inComment = line.startsWith("*");
    out.push(line === "" ? "" : "  ".repeat(depth) + (inComment ? ` ${line}` : line));
    if (/[{[(]$/.test(line)) depth++;
    if (depth === 0 && /^(}|export type .*[^|&(]$)/.test(line)) out.push("");
  }
  return `${out.join("\n").trim()}\n`;
}
