/**
 * Prints the README's table of diagnostic codes from src/diagnostics/index.ts (the one list of codes).
 * `tsx scripts/codes-table.ts --write` rewrites the table in README.md; test/readme.test.ts fails
 * when the README's table is stale.
 */

import { readFile, writeFile } from "node:fs/promises";
import { CODES } from "../src/diagnostics/index.js";

const BEGIN = "<!-- codes:begin -->";
const END = "<!-- codes:end -->";

/** The markdown table of every code with its purpose and its page of examples (docs/codes/<CODE>.md, scripts/codes-docs.ts). */
export function codesTable(): string {
  const rows = Object.entries(CODES).map(
    ([code, purpose]) => `| \`${code}\` | ${purpose.replace(/\|/g, "\\|")} | [wrong and right](docs/codes/${code}.md) |`,
  );
  return ["| code | rule | example |", "|---|---|---|", ...rows].join("\n");
}

/** README text with its table replaced by the current one. */
export function withTable(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`README.md has no ${BEGIN} … ${END} section`);
  return `${readme.slice(0, start + BEGIN.length)}\n${codesTable()}\n${readme.slice(end)}`;
}

if (process.argv.includes("--write")) {
  const readme = await readFile("README.md", "utf8");
  await writeFile("README.md", withTable(readme));
} else if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${codesTable()}\n`);
}
