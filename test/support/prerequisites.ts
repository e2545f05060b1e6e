/**
 * What some tests need beyond `npm ci`, installed by the tests themselves, so that the README's two
 * commands pass on a fresh machine with nothing else done (DEVELOPERS.md, "Two commands, for
 * real"): the local npm registry (Verdaccio, tools/local-registry/) for test/publish.test.ts, and
 * Debian's Chromium for test/catalog-browser.test.ts. Each is installed only when missing, by the
 * test that needs it, so a run of other test files installs nothing; a second run finds it there.
 * What cannot be installed here (not root, no apt-get, no network) fails the test with one sentence
 * that says what to install: never a skipped test.
 */

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { ROOT } from "../helpers.js";
import { VERDACCIO_BIN } from "./registry.js";

/** Chromium's path: CHROMIUM_PATH, or Debian's. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** How long an install may take (apt's Chromium is ~100 MB with its libraries). */
export const INSTALL_TIMEOUT_MS = 15 * 60 * 1000;

/** Installs tools/local-registry (`npm ci --prefix tools/local-registry`) when Verdaccio is missing. */
export async function ensureLocalRegistry(): Promise<void> {
  if (existsSync(VERDACCIO_BIN)) return;
  const r = await run("npm", ["ci", "--prefix", "tools/local-registry", "--no-audit", "--no-fund"]);
  if (r.code !== 0 || !existsSync(VERDACCIO_BIN)) {
    throw new Error(
      `the local npm registry could not be installed (npm ci --prefix tools/local-registry exited ${r.code}: ${lastLine(r.output)}); run that command where the npm registry can be reached`,
    );
  }
}

/**
 * Installs Debian's Chromium (`apt-get install chromium`) when it is missing and this process may
 * (root, apt-get present); the package lists are refreshed only when the first attempt fails.
 */
export async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return;
  const say = `${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH to a Chromium`;
  if (process.env.CHROMIUM_PATH !== undefined) throw new Error(say);
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get"))
    throw new Error(`${say} (the tests install it only as root on a Debian-like machine)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let r = await run("apt-get", ["install", "-y", "chromium"], env);
  if (r.code !== 0) {
    await run("apt-get", ["update"], env);
    r = await run("apt-get", ["install", "-y", "chromium"], env);
  }
  if (r.code !== 0 || !existsSync(CHROMIUM)) throw new Error(`${say} (apt-get install chromium exited ${r.code}: ${lastLine(r.output)})`);
}

/** Runs a command from the repository root without blocking the event loop; never throws. */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (d: Buffer) => {
      output = (output + d.toString("utf8")).slice(-4000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), INSTALL_TIMEOUT_MS);
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ code: -1, output: e.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

function lastLine(output: string): string {
  return output.trim().split("\n").at(-1) ?? "";
}
