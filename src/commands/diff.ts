/**
 * `domain-events diff --against BASELINE`: the tree compared with a release.
 *
 *   check (the tree must be valid)  →  loadBaseline (events.json, .tgz, name@version)  →
 *   diffTree (src/compat/release-diff.ts: released versions unchanged, none removed, the bump)
 *   →  --changelog (an entry prepended to a Markdown file, when the release is not refused)
 *
 * The CLI renders the outcome: the tree's findings when it does not check, else the release diff.
 */

import { readFile, stat, writeFile } from "node:fs/promises";
import { loadBaseline } from "../compat/baseline.js";
import { changelogEntry, diffTree, type ReleaseDiff } from "../compat/release-diff.js";
import { eventEntries } from "../generate/index.js";
import { UserError } from "../model/user-error.js";
import { type CheckResult, check } from "../pipeline.js";
import { EVENTS_FLAG, EXIT_USAGE, FORMAT_FLAG } from "./flags.js";
import { defineCommand } from "./spec.js";

/** What diff gives the CLI. */
export type DiffOutput =
  /** The tree has errors: there is nothing to compare yet. */
  | { kind: "unchecked"; eventsDir: string; checked: CheckResult }
  /** The comparison; `diff.diagnostics` holds the check's warnings and the release rules' findings. */
  | { kind: "compared"; source: string; diff: ReleaseDiff };

/** A file named on the command line that cannot be used: bad usage, said in one line with what to do. */
export class FileArgumentError extends UserError {}

export const diffCommand = defineCommand({
  name: "diff",
  purpose: "compare the tree with a release and name the semver bump",
  description:
    "Checks the tree, then compares it with a release: a released version may change only in annotations, a " +
    "version may not disappear (unless --allow-removal), and the changes name the semver bump (major, minor, " +
    "patch, none).",
  positionals: [],
  flags: [
    EVENTS_FLAG,
    {
      name: "against",
      type: "string",
      required: true,
      placeholder: "BASELINE",
      description: "the release: an events.json, a packed .tgz of this package, or name@version (fetched with npm pack)",
    },
    { name: "allow-removal", type: "boolean", description: "a removed version is allowed (the release is then major)" },
    {
      name: "changelog",
      type: "string",
      placeholder: "FILE",
      description: "prepend a Markdown changelog entry to FILE (created when missing)",
    },
    FORMAT_FLAG,
  ],
  exits: [
    { code: 0, meaning: "the tree is valid and keeps the release rules (warnings allowed)" },
    { code: 1, meaning: "errors found: in the tree, or a released version changed or removed" },
    EXIT_USAGE,
  ],
  async run({ flags }): Promise<DiffOutput> {
    const eventsDir = flags.events;
    const checked = await check({ eventsDir });
    if (!checked.ok || !checked.tree) return { kind: "unchecked", eventsDir, checked };
    const baseline = await loadBaseline(flags.against);
    // The entries check made; the same as eventEntries computes from the tree and its bundle.
    const current = checked.entries ?? eventEntries(checked.tree, checked.bundle);
    const result = diffTree(
      baseline.entries,
      { tree: checked.tree, entries: current },
      { eventsDir, allowRemoval: flags["allow-removal"] },
    );
    // A release the rules refuse has no bump, and so no changelog entry.
    if (flags.changelog !== undefined && result.bump !== null) {
      const titles = new Map([...baseline.entries, ...current].map((e) => [e.type, e.title]));
      await prependChangelog(flags.changelog, changelogEntry({ ...result, bump: result.bump }, titles));
    }
    return { kind: "compared", source: baseline.source, diff: { ...result, diagnostics: [...checked.diagnostics, ...result.diagnostics] } };
  },
});

/**
 * --changelog FILE: prepends `entry` to FILE, which is created when missing. A folder, a device
 * (reading /dev/zero would never end) or a path that cannot be written is bad usage, not a bug.
 */
async function prependChangelog(file: string, entry: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (info && !info.isFile()) {
    throw new FileArgumentError(`--changelog ${file} is not a file: name a Markdown file (it is created when missing)`);
  }
  try {
    const previous = info ? await readFile(file, "utf8") : "";
    await writeFile(file, `${entry}\n${previous}`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new FileArgumentError(`cannot write --changelog ${file} (${code}); name a file in a folder that exists and that you can write`);
  }
}
