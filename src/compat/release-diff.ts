/**
 * The tree against the last release: a released version is a promise, so its schema may change only
 * in annotations; a version may not disappear; and the changes decide the semver bump.
 *
 * Rules (each a code with its purpose in diagnostics.ts):
 * - COMPAT_RELEASED_VERSION_CHANGED: a released version's schema changed beyond annotations.
 * - COMPAT_VERSION_REMOVED: a released event or version is gone (allowed with --allow-removal: major).
 *
 * `diff` reports both and names the bump; `check` reports the first whenever a baseline exists, so
 * that an author learns of an in-place edit where they work, not in CI.
 */

import { cmp, type Diagnostic, diagnostic, hasErrors, type Locate, START_OF_FILE } from "../diagnostics/index.js";
import type { EventEntry } from "../model/events-json.js";
import type { EventTree } from "../model/tree.js";
import { sortedKeyJson } from "../schema/stable-json.js";
import { mapSchema } from "../schema/walk.js";
import { diff as schemaDiff } from "./engine/index.js";

/** The semver bump a release needs. */
export type Bump = "major" | "minor" | "patch" | "none";

/** One released version whose schema differs now. */
export interface ChangedVersion {
  type: string;
  /** True when only annotations (title, description, examples, deprecated, default, $comment) changed. */
  annotationsOnly: boolean;
  /** The validation changes, as the compatibility engine names them (empty when annotationsOnly). */
  changes: { type: string; pointer: string }[];
}

/** The comparison of the current tree with a baseline. */
export interface ReleaseDiff {
  /** The bump the release needs; null when the diff refuses the release (an error among the diagnostics). */
  bump: Bump | null;
  added: string[];
  removed: string[];
  changed: ChangedVersion[];
  /** Versions deprecated since the baseline. */
  deprecated: string[];
  diagnostics: Diagnostic[];
}

/** Keywords that describe and do not validate: changing them never breaks a consumer. */
export const ANNOTATIONS: readonly string[] = [
  "title",
  "description",
  "examples",
  "deprecated",
  "default",
  "$comment",
  "readOnly",
  "writeOnly",
];

/** Compares the current entries with the baseline's. `fileOf` names the file of a type (also of a removed one). */
export function diffAgainst(
  baseline: readonly EventEntry[],
  current: readonly EventEntry[],
  options: { allowRemoval?: boolean; fileOf: (entry: EventEntry) => string; locateOf?: (type: string) => Locate | undefined },
): ReleaseDiff {
  const before = new Map(baseline.map((e) => [e.type, e]));
  const after = new Map(current.map((e) => [e.type, e]));
  const diagnostics: Diagnostic[] = [];
  const added = [...after.keys()].filter((t) => !before.has(t)).sort(cmp);
  const removed = [...before.keys()].filter((t) => !after.has(t)).sort(cmp);
  const changed: ChangedVersion[] = [];
  const deprecated: string[] = [];

  for (const type of removed) {
    const entry = before.get(type) as EventEntry;
    diagnostics.push(
      diagnostic("COMPAT_VERSION_REMOVED", options.fileOf(entry), "", `the released version ${type} is gone`, {
        warning: options.allowRemoval === true,
        hint: options.allowRemoval
          ? `nothing to fix: --allow-removal makes this release major; tell the consumers of ${type} before you publish it`
          : 'restore the file and add "deprecated": true to it instead: consumers still send and read this version; or pass --allow-removal for a major release',
      }),
    );
  }
  for (const [type, now] of [...after].sort(([a], [b]) => cmp(a, b))) {
    const then = before.get(type);
    if (!then) continue;
    if (now.deprecated && !then.deprecated) deprecated.push(type);
    if (sortedKeyJson(now.schema) === sortedKeyJson(then.schema)) continue;
    const annotationsOnly = sortedKeyJson(withoutAnnotations(now.schema)) === sortedKeyJson(withoutAnnotations(then.schema));
    const changes = annotationsOnly
      ? []
      : schemaDiff(then.schema, now.schema)
          .filter((c) => !c.backward || !c.forward || !isAnnotationChange(c.type))
          .map((c) => ({ type: c.type, pointer: c.pointer }));
    changed.push({ type, annotationsOnly, changes });
    if (!annotationsOnly) {
      // Pointers into the published schema's data definition are pointers into the event's file.
      const prefix = `/$defs/${now.typeName}Data`;
      const inFile = (p: string) => (p === prefix || p.startsWith(`${prefix}/`) ? p.slice(prefix.length) : undefined);
      const list = changes.map((c) => `${c.type} at ${inFile(c.pointer) || c.pointer || "/"}`).join(", ");
      const first = changes.map((c) => inFile(c.pointer)).find((p) => p !== undefined) ?? "";
      diagnostics.push(
        diagnostic(
          "COMPAT_RELEASED_VERSION_CHANGED",
          options.fileOf(now),
          first,
          `the released version ${type} changed beyond annotations${list ? `: ${list}` : ""}`,
          {
            hint: `undo the change and put it in a new version (${nextVersionFile(options.fileOf(now), current, now)}); a released version may change only in title, description, examples and deprecated`,
            locate: options.locateOf?.(type) ?? START_OF_FILE,
          },
        ),
      );
    }
  }
  const bump: Bump =
    removed.length > 0 || changed.some((c) => !c.annotationsOnly)
      ? "major"
      : added.length > 0
        ? "minor"
        : changed.length > 0 || deprecated.length > 0
          ? "patch"
          : "none";
  // A release the rules refuse needs no bump: announcing "a major release" beside the refusal
  // would invite the wrong fix (releasing a major instead of restoring the released version).
  return { bump: hasErrors(diagnostics) ? null : bump, added, removed, changed, deprecated, diagnostics };
}

/**
 * The diff of a checked tree against a baseline, each finding at its file (a removed version at the
 * file it had) and, for a changed version, at the position in it: what `diff` reports, and what
 * `check` reports of it when a baseline exists.
 */
export function diffTree(
  baseline: readonly EventEntry[],
  checked: { tree: EventTree; entries: readonly EventEntry[] },
  options: { eventsDir: string; allowRemoval?: boolean },
): ReleaseDiff {
  const files = new Map(checked.tree.events.map((e) => [e.type, e.source.file]));
  const locates = new Map(checked.tree.events.map((e) => [e.type, e.source.locate]));
  return diffAgainst(baseline, checked.entries, {
    allowRemoval: options.allowRemoval,
    fileOf: (e) =>
      files.get(e.type) ?? `${options.eventsDir}/${e.system}/${e.topic}/${e.event}${e.version > 1 ? `.v${e.version}` : ""}.json`,
    locateOf: (type) => locates.get(type),
  });
}

/** The released versions a tree edited in place (COMPAT_RELEASED_VERSION_CHANGED), for `check`. */
export function releasedVersionEdits(
  baseline: readonly EventEntry[],
  checked: { tree: EventTree; entries: readonly EventEntry[] },
  eventsDir: string,
): Diagnostic[] {
  return diffTree(baseline, checked, { eventsDir }).diagnostics.filter((d) => d.code === "COMPAT_RELEASED_VERSION_CHANGED");
}

/** A Markdown changelog entry for the diff. */
export function changelogEntry(d: ReleaseDiff & { bump: Bump }, titles: ReadonlyMap<string, string>, heading = "Unreleased"): string {
  const line = (type: string) => `- \`${type}\`${titles.get(type) ? ` — ${titles.get(type)}` : ""}`;
  const sections: [string, string[]][] = [
    ["Added", d.added.map(line)],
    ["Deprecated", d.deprecated.map(line)],
    [
      "Changed",
      d.changed.map((c) => `${line(c.type)}${c.annotationsOnly ? " (annotations only)" : `: ${c.changes.map((x) => x.type).join(", ")}`}`),
    ],
    ["Removed", d.removed.map(line)],
  ];
  const body = sections
    .filter(([, items]) => items.length > 0)
    .map(([title, items]) => `### ${title}\n\n${items.join("\n")}\n`)
    .join("\n");
  return `## ${heading} (${d.bump === "none" ? "no release needed" : `${d.bump} release`})\n\n${body || "No changes to the events.\n"}`;
}

function isAnnotationChange(type: string): boolean {
  return /^(TITLE|DESCRIPTION|ID|DEPRECATED|DEFAULT|EXAMPLES|COMMENT)_/.test(type);
}

function withoutAnnotations(schema: unknown): unknown {
  return mapSchema(schema, (s) => Object.fromEntries(Object.entries(s).filter(([k]) => !ANNOTATIONS.includes(k))));
}

/** The file of the version after the latest of this entry's event. */
function nextVersionFile(file: string, current: readonly EventEntry[], entry: EventEntry): string {
  const latest = Math.max(
    ...current.filter((e) => e.system === entry.system && e.topic === entry.topic && e.event === entry.event).map((e) => e.version),
  );
  return `${file.slice(0, file.lastIndexOf("/") + 1)}${entry.event}.v${latest + 1}.json`;
}
