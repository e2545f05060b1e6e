/**
 * Rendering of diagnostics, separate from finding them: compiler-style text, JSON, and GitHub
 * Actions annotations; and of the results of fmt, compat and diff. The results of the other
 * commands are rendered in src/cli/present.ts (which also picks the exit codes), render-new.ts
 * and render-watch.ts.
 */

import type { Format } from "../commands/flags.js";
import type { ReleaseDiff } from "../compat/release-diff.js";
import { type CompatReport, explain } from "../compat/report.js";
import type { Diagnostic, Location } from "../diagnostics/index.js";
import { HIDDEN_CHARACTERS } from "../schema/hidden.js";

/** The output formats (declared with the --format flag, src/commands/flags.ts). */
export { FORMATS, type Format } from "../commands/flags.js";

/** What check says it did (the summary line of check, check --watch and new): `checked events: 51 event versions`. */
export function checkSummary(eventsDir: string, result: { ok: boolean; events?: number; tree?: { events: readonly unknown[] } }): string {
  return `checked ${eventsDir}${result.ok ? `: ${result.events ?? result.tree?.events.length ?? 0} event versions` : ""}`;
}

/** What a good build says it did (build, build --watch): `51 event versions, wrote dist`. */
export function buildSummary(outDir: string | undefined, result: { events?: number; upToDate?: boolean }): string {
  const what =
    outDir === undefined ? "generated in memory (no --out given)" : result.upToDate ? `${outDir} is up to date` : `wrote ${outDir}`;
  return `${result.events ?? 0} event versions, ${what}`;
}

/** Renders diagnostics plus a summary line in the chosen format. */
export function render(format: Format, diagnostics: readonly Diagnostic[], summary: string): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  if (format === "json") return `${JSON.stringify({ ok: errors === 0, errors, warnings, diagnostics }, null, 2)}\n`;
  if (format === "github") return diagnostics.map(github).join("");
  const lines = diagnostics.map((d) => {
    let text = `${printable(where(d))}: ${d.severity} ${d.code}: ${printable(d.message)}\n`;
    if (d.hint) text += `  hint: ${printable(d.hint)}\n`;
    if (d.related) text += `  see: ${printable(where(d.related))}\n`;
    return text;
  });
  const counts = `${errors} ${errors === 1 ? "error" : "errors"}, ${warnings} ${warnings === 1 ? "warning" : "warnings"}`;
  return `${lines.join("")}${lines.length ? "\n" : ""}${errors ? "failed" : "ok"}: ${summary} (${counts})\n`;
}

/** What fmt found, as renderFmt needs it. */
export interface FmtReport {
  /** --check: nothing was written. */
  check: boolean;
  diagnostics: readonly Diagnostic[];
  /** Files read. */
  files: number;
  /** Files not in canonical form: rewritten, or with --check, to be rewritten. */
  unformatted: readonly string[];
}

/** What to do about files that are not in canonical form. */
const FMT_HINT = "run npm run fmt and commit the result";

/**
 * Renders fmt's outcome: the parse findings, then each file rewritten (or, with --check, each file
 * not in canonical form, an error), then a summary.
 */
export function renderFmt(format: Format, r: FmtReport): string {
  const unformatted = r.check ? r.unformatted.length : 0;
  const errors = r.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = r.diagnostics.length - errors;
  const ok = errors === 0 && unformatted === 0;
  if (format === "json") {
    const files = r.check ? { unformatted: r.unformatted } : { formatted: r.unformatted };
    return `${JSON.stringify({ ok, errors, warnings, files: r.files, ...files, diagnostics: r.diagnostics }, null, 2)}\n`;
  }
  if (format === "github") {
    const notFormatted = r.check
      ? r.unformatted.map((file) => `::error file=${prop(file)},title=fmt::${data(`not formatted (${FMT_HINT})`)}\n`)
      : [];
    return [...r.diagnostics.map(github), ...notFormatted].join("");
  }
  // The findings as check prints them, without check's summary line (the last).
  const findings = render("pretty", r.diagnostics, "");
  const lines = [findings.slice(0, findings.lastIndexOf("\n", findings.length - 2) + 1)];
  for (const file of r.unformatted) lines.push(r.check ? `${file}: not formatted\n` : `formatted ${file}\n`);
  const counts = `${errors} ${errors === 1 ? "error" : "errors"}, ${warnings} ${warnings === 1 ? "warning" : "warnings"}`;
  const n = r.unformatted.length;
  const summary = r.check
    ? n > 0
      ? `${n} of ${r.files} ${r.files === 1 ? "file is" : "files are"} not formatted; ${FMT_HINT}`
      : `${r.files} ${r.files === 1 ? "file" : "files"} checked, all formatted`
    : `formatted ${n} of ${r.files} ${r.files === 1 ? "file" : "files"}`;
  const body = lines.join("");
  return `${body}${r.unformatted.length > 0 ? "\n" : ""}${ok ? "ok" : "failed"}: ${summary} (${counts})\n`;
}

/** `file:line:col`, or `file` with the pointer when the position is unknown. */
/**
 * Text from the tree (a file's name, a key quoted in a message) as a terminal line shows it: every
 * hidden character (hidden.ts: control characters, line and paragraph separators, bidirectional and
 * other format characters, invisible fillers) as a `\u` escape, so that a hostile name can neither
 * move the cursor, recolour the terminal, start a line of its own in a CI log (where `::` commands
 * are read line by line) nor reorder or hide what is read.
 */
export function printable(s: string): string {
  return s.replace(HIDDEN_CHARACTERS, (c) => {
    const code = c.codePointAt(0) as number;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

function where(l: Location): string {
  if (l.line !== undefined) return `${l.file}:${l.line}:${l.column ?? 1}`;
  return l.pointer ? `${l.file}#${l.pointer}` : l.file;
}

function github(d: Diagnostic): string {
  const props = [`file=${prop(d.file)}`];
  if (d.line !== undefined) props.push(`line=${d.line}`, `col=${d.column ?? 1}`);
  props.push(`title=${prop(d.code)}`);
  const message = d.hint ? `${d.message} (${d.hint})` : d.message;
  return `::${d.severity === "error" ? "error" : "warning"} ${props.join(",")}::${data(message)}\n`;
}

function data(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function prop(s: string): string {
  return data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const yes = (b: boolean) => (b ? "yes" : "no");

/** The pretty compat report: the verdict, each change in a sentence, and the counterexamples. */
export function renderCompat(r: CompatReport, oldFile: string, newFile: string, policy: string): string {
  const lines = [
    `${oldFile} → ${newFile} (policy ${policy})`,
    `  backward: ${yes(r.backward)}   forward: ${yes(r.forward)}   full: ${yes(r.full)}`,
    "",
  ];
  if (r.changes.length === 0) lines.push("  no changes");
  for (const c of r.changes) {
    const model = c.contentModel ? ` (content model: ${c.contentModel})` : "";
    lines.push(
      `  ${c.type} at ${c.pointer || "/"}${model}`,
      `    ${explain(c.type)}`,
      `    backward: ${yes(c.backward)}, forward: ${yes(c.forward)}`,
    );
  }
  for (const x of r.counterexamples) {
    const why =
      x.direction === "backward"
        ? "an old event that a consumer on NEW cannot read"
        : "a new event that a consumer still on OLD cannot read";
    lines.push(
      "",
      `  counterexample (${x.direction}): ${x.acceptedBy} accepts it, ${x.rejectedBy} rejects it (${why}):`,
      `    ${JSON.stringify(x.value)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The pretty release diff: the bump, what was added, changed, removed, and the findings. */
export function renderReleaseDiff(d: ReleaseDiff, source: string): string {
  const verdict = d.bump === null ? "refused by the release rules" : d.bump === "none" ? "no release needed" : `a ${d.bump} release`;
  const lines = [`compared with ${source}: ${verdict}`];
  const list = (title: string, items: string[]) => {
    if (items.length > 0) lines.push(`  ${title}:`, ...items.map((i) => `    ${i}`));
  };
  list("added", d.added);
  list("deprecated", d.deprecated);
  list(
    "changed",
    d.changed.map((c) => `${c.type}${c.annotationsOnly ? " (annotations only)" : `: ${c.changes.map((x) => x.type).join(", ")}`}`),
  );
  list("removed", d.removed);
  const findings = render("pretty", d.diagnostics, "release rules");
  return `${lines.join("\n")}\n\n${findings}`;
}
