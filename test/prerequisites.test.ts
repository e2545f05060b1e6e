/**
 * The tests' own installer of what they need (support/prerequisites.ts): a prerequisite it cannot
 * install fails with one sentence that says what to install, never a skip. The installing paths
 * themselves run in every CI run on a fresh clone (the local registry always, Chromium where the
 * machine lacks it).
 */

import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");

/** Calls ensureChromium in a fresh process with `env` added; returns what it said. */
function ensureChromiumWith(env: Record<string, string>): string {
  const script = [
    'const { ensureChromium } = await import("./test/support/prerequisites.ts");',
    'await ensureChromium().then(() => console.log("installed"), (e) => console.log("refused: " + e.message));',
  ].join("\n");
  const r = spawnSync(process.execPath, [TSX, "--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return r.stdout.trim() || r.stderr.trim();
}

describe("a prerequisite that cannot be installed", () => {
  it("CHROMIUM_PATH naming nothing: one sentence naming the package and the variable", () => {
    const said = ensureChromiumWith({ CHROMIUM_PATH: "/nonexistent/chromium" });
    expect(said).toMatch(
      /^refused: \/nonexistent\/chromium is missing: install Debian's chromium package \(apt-get install chromium\) or set CHROMIUM_PATH/,
    );
    expect(said.split("\n")).toHaveLength(1);
  });
});
