/**
 * The output of `domain-events validate`: the findings as src/cli/render.ts prints any diagnostics,
 * with a summary line and totals that also count the findings past INSTANCE_LIMITS (counted, not
 * listed), and the verdict the exit code follows.
 */

import type { StageResult } from "../diagnostics/index.js";
import { INSTANCE_LIMITS, type InstancesSummary } from "../instances/index.js";
import { type Format, render } from "./render.js";

/** The summary line of a run: "validated 3 events in 2 files", and what was not listed. */
export function summaryLine(s: InstancesSummary): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  const line = `validated ${n(s.events, "event")} in ${n(s.files, "file")}`;
  const { errors, warnings } = s.omitted;
  if (errors + warnings === 0) return line;
  const more = [errors > 0 ? n(errors, "more error") : "", warnings > 0 ? n(warnings, "more warning") : ""].filter(Boolean).join(" and ");
  return `${line}; ${more} not listed (only the first ${INSTANCE_LIMITS.keptFindings} findings are)`;
}

/**
 * The output of a run: as `render` prints diagnostics, with the totals counting the findings that
 * were not listed too. JSON gains `omitted` ({ errors, warnings }) when some were not listed.
 */
export function renderInstances(format: Format, result: StageResult<InstancesSummary>): string {
  const { omitted } = result.value;
  const listed = render(format, result.diagnostics, summaryLine(result.value));
  if (omitted.errors + omitted.warnings === 0) return listed;
  const listedErrors = result.diagnostics.filter((d) => d.severity === "error").length;
  const errors = listedErrors + omitted.errors;
  const warnings = result.diagnostics.length - listedErrors + omitted.warnings;
  if (format === "json") {
    return `${JSON.stringify({ ok: errors === 0, errors, warnings, diagnostics: result.diagnostics, omitted }, null, 2)}\n`;
  }
  if (format === "github") return `${listed}::notice title=validate::${summaryLine(result.value)}\n`;
  // The pretty output's last line counts the listed findings: it is written again with the totals.
  const body = listed.slice(0, listed.lastIndexOf("\n", listed.length - 2) + 1);
  const counts = `${errors} ${errors === 1 ? "error" : "errors"}, ${warnings} ${warnings === 1 ? "warning" : "warnings"}`;
  return `${body}${errors ? "failed" : "ok"}: ${summaryLine(result.value)} (${counts})\n`;
}

/** True when a run found an error, listed or not: the exit code is then 1. */
export function instancesFailed(result: StageResult<InstancesSummary>): boolean {
  return result.value.omitted.errors > 0 || result.diagnostics.some((d) => d.severity === "error");
}
