/**
 * Rendering of `check --watch` and `build --watch`: each frame the watch command reports
 * (src/commands/watch.ts) becomes the text of one run, the first in full, every later one as what
 * changed since the run before.
 */

import { diffDiagnostics, type WatchFrame } from "../commands/watch.js";
import type { Diagnostic } from "../diagnostics/index.js";
import { buildSummary, checkSummary, type Format, render } from "./render.js";

/** One run of check or build, as watch reports it. */
export interface WatchRun {
  /** 1 for the first run (the full report), then 2, 3 … */
  run: number;
  /** When the run finished. */
  time: Date;
  /** How long the run took, in milliseconds. */
  ms: number;
  ok: boolean;
  /** Every diagnostic of this run. */
  diagnostics: readonly Diagnostic[];
  /** What the run did, as check and build say it: "checked events: 51 event versions", "wrote out"… */
  summary: string;
  /** Earlier findings this run did not look for (an error stopped their stage): neither fixed nor new. */
  unchecked?: readonly Diagnostic[];
}

/** What to print for a frame: the run on stdout; on stderr that watching started, or a failed run. */
export function renderWatchFrame(format: Format, frame: WatchFrame): { stdout: string; stderr: string } {
  if (frame.kind === "failed") return { stdout: "", stderr: `domain-events: ${frame.error.message}\n` };
  const { outcome } = frame;
  const { ok, diagnostics } = outcome.result;
  let summary: string;
  if (outcome.command === "check") summary = checkSummary(frame.eventsDir, outcome.result);
  else if (ok) summary = buildSummary(outcome.outDir, outcome.result);
  else summary = outcome.outDir === undefined ? "nothing generated" : `nothing written, ${outcome.outDir} keeps the last good build`;
  const run = { run: frame.run, time: frame.time, ms: frame.ms, ok, diagnostics, summary, unchecked: frame.unchecked };
  const stdout = renderWatchRun(format, run, frame.previous);
  const stderr = frame.run === 1 ? `domain-events: watching ${frame.eventsDir} for changes (Ctrl-C stops)\n` : "";
  return { stdout, stderr };
}

/**
 * Renders a run: the first in full (every diagnostic, as check prints them), every later one as the
 * difference from `previous`: the new diagnostics, the fixed ones and a status line. json prints
 * one object per line: `{ run, time, ms, ok, errors, warnings, summary, added, resolved }` (the
 * first run's `added` holds every diagnostic), and `unchecked` when earlier findings were not
 * looked for again (their stage did not run): those are in neither `added` nor `resolved`.
 */
export function renderWatchRun(format: Format, run: WatchRun, previous: readonly Diagnostic[] | undefined): string {
  const { added, resolved } = diffDiagnostics(previous ?? [], run.diagnostics);
  const errors = run.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = run.diagnostics.length - errors;
  if (format === "json") {
    const line = { run: run.run, time: run.time.toISOString(), ms: Math.round(run.ms), ok: run.ok, errors, warnings, summary: run.summary };
    const unchecked = run.unchecked?.length ? { unchecked: run.unchecked } : {};
    return `${JSON.stringify({ ...line, added, resolved, ...unchecked })}\n`;
  }
  const findings = format === "github" ? render("github", added, "") : prettyFindings(added);
  const fixed = resolved.map((d) => `fixed: ${where(d)} ${d.code}: ${d.message}\n`).join("");
  const counts = `${errors} ${errors === 1 ? "error" : "errors"}, ${warnings} ${warnings === 1 ? "warning" : "warnings"}`;
  const change =
    previous === undefined
      ? ""
      : added.length + resolved.length === 0
        ? ": diagnostics unchanged"
        : `: ${added.length} new, ${resolved.length} fixed`;
  const waiting = run.unchecked?.length ? `, ${run.unchecked.length} not checked again` : "";
  const status = `${clock(run.time)} ${run.ok ? "ok" : "failed"}: ${run.summary} (${counts})${change}${waiting}, in ${(run.ms / 1000).toFixed(2)} s\n`;
  return `${findings}${fixed}${status}`;
}

/** The diagnostics as check prints them in pretty, without check's summary line and the blank line before it. */
function prettyFindings(list: readonly Diagnostic[]): string {
  if (list.length === 0) return "";
  const text = render("pretty", list, "");
  return text.slice(0, text.lastIndexOf("\n", text.length - 2));
}

function where(d: Diagnostic): string {
  if (d.line !== undefined) return `${d.file}:${d.line}:${d.column ?? 1}`;
  return d.pointer ? `${d.file}#${d.pointer}` : d.file;
}

/** Local wall-clock time, HH:MM:SS: watch's output is read by a person at a terminal. */
function clock(t: Date): string {
  return [t.getHours(), t.getMinutes(), t.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}
