/**
 * Where the peers' test data lives, and how to read it. The data is never copied into the
 * repository (Confluent's is under the Confluent Community License): it is read from the folder in
 * DOMAIN_EVENTS_COMPAT_DIR, by default ../shared/compat, relative paths resolved from the
 * repository root. When the folder is absent, each suite says so in one passing test.
 */

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, "..");

/** The folder of the peers' data (it may not exist). */
export const COMPAT_DIR = path.resolve(ROOT, process.env.DOMAIN_EVENTS_COMPAT_DIR ?? "../shared/compat");

/** The folder of one peer's data, or undefined (with the reason) when it is not there. */
export function peerDir(peer: string): { dir: string } | { missing: string } {
  const dir = path.join(COMPAT_DIR, peer);
  if (existsSync(dir)) return { dir };
  return { missing: `${dir} does not exist: set DOMAIN_EVENTS_COMPAT_DIR to the folder holding ${peer}/ (see shared/compat/SOURCE.md)` };
}

/**
 * Reads a JSON file that may hold trailing commas (Confluent reads its files with the lenient
 * org.json parser): commas before `]` or `}` outside strings are dropped before JSON.parse.
 */
export function readLenientJson(file: string): unknown {
  return JSON.parse(stripTrailingCommas(readFileSync(file, "utf8")));
}

/** Drops every comma that is followed (after whitespace) by `]` or `}`, outside strings. */
export function stripTrailingCommas(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === ",") {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j] ?? "")) j++;
      if (text[j] === "]" || text[j] === "}") continue;
    }
    out += c;
  }
  return out;
}

/** "12 of 13 (92.3%)". */
export function share(count: number, total: number): string {
  return `${count} of ${total} (${((100 * count) / Math.max(total, 1)).toFixed(1)}%)`;
}

/** Prints a report block to stdout (vitest shows it with the test). */
export function report(lines: readonly string[]): void {
  process.stdout.write(`${lines.join("\n")}\n`);
}
