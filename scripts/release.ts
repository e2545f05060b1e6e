/**
 * npm run release — prepares a release whose version follows the evolution rules:
 *
 * 1. compares events/ with the last release (baseline/events.json), as `domain-events diff`;
 *    any error (a released version changed, a version removed) stops here;
 * 2. bumps package.json (and the lock) by the bump the changes need: major (removal), minor (new
 *    event or version), patch (annotations, deprecations); nothing when nothing changed;
 * 3. prepends the changelog entry to CHANGELOG.md and records the new baseline.
 *
 * Then: commit, tag, and publish (prepublishOnly runs the tests; CI publishes with provenance).
 * `--allow-removal` passes through, for a deliberate major release.
 */

import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { render } from "../src/cli/render.js";
import { loadBaseline } from "../src/compat/baseline.js";
import { type Bump, changelogEntry, diffAgainst } from "../src/compat/release-diff.js";
import { hasErrors } from "../src/diagnostics/index.js";
import type { EventEntry } from "../src/model/events-json.js";
import { build } from "../src/pipeline.js";

const allowRemoval = process.argv.includes("--allow-removal");
const built = await build({ eventsDir: "events" });
if (!built.ok || !built.files) {
  process.stdout.write(render("pretty", built.diagnostics, "fix these before releasing"));
  process.exit(1);
}
const eventsJson = built.files.get("events.json") as string;
const current = JSON.parse(eventsJson) as EventEntry[];
const baseline = await loadBaseline("baseline/events.json");
const fileOf = (e: EventEntry) => `events/${e.system}/${e.topic}/${e.event}${e.version > 1 ? `.v${e.version}` : ""}.json`;
const result = diffAgainst(baseline.entries, current, { allowRemoval, fileOf });
const bump = result.bump;
if (bump === null || hasErrors(result.diagnostics)) {
  process.stdout.write(render("pretty", result.diagnostics, "the release rules are broken"));
  process.exit(1);
}
if (bump === "none") {
  process.stdout.write("nothing to release: the events are as in baseline/events.json\n");
  process.exit(0);
}

const pkg = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
const next = bumped(pkg.version, bump);
execFileSync("npm", ["version", next, "--no-git-tag-version"], { stdio: "ignore" });
const titles = new Map([...baseline.entries, ...current].map((e) => [e.type, e.title]));
const changelog = await readFile("CHANGELOG.md", "utf8").catch(() => "# Changelog\n\n");
const [head, ...rest] = changelog.split(/^(?=## )/m);
await writeFile("CHANGELOG.md", `${head}${changelogEntry({ ...result, bump }, titles, next)}\n${rest.join("")}`);
await writeFile("baseline/events.json", eventsJson);
process.stdout.write(
  `release ${next} (${bump}): package.json, CHANGELOG.md and baseline/events.json updated.\n` +
    `next: git commit -am "Release ${next}" && git tag v${next} && git push --follow-tags (CI publishes)\n`,
);

/** The next version: x.y.z bumped by the evolution rules. */
function bumped(version: string, bump: Exclude<Bump, "none">): string {
  const [major = 0, minor = 0, patch = 0] = version.split(/[.-]/).map(Number);
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}
