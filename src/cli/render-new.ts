/**
 * Rendering of `domain-events new` (src/commands/new.ts, src/authoring/new.ts): on stdout the
 * files created, the check and the next steps; on stderr a request refused or a value missing.
 */

import type { NewOutcome } from "../authoring/new.js";
import { checkSummary, render } from "./render.js";

/** What `new` prints: on stdout the created files, the check and the next steps; on stderr a refused request. */
export function renderNew(outcome: NewOutcome, eventsDir: string): { stdout: string; stderr: string } {
  if (outcome.kind === "missing") {
    const message = outcome.needed.includes("<system>/<topic>/<event>")
      ? "new needs the event: domain-events new <system>/<topic>/<event> (or run it in a terminal to be asked)"
      : `new needs ${outcome.needed.join(", ")} when there is no terminal to ask on; or pass --yes to take the defaults`;
    return { stdout: "", stderr: `domain-events: ${message}\n` };
  }
  if (outcome.kind === "refused") {
    const { refusal } = outcome;
    if (refusal.diagnostics.length === 0) return { stdout: "", stderr: `domain-events: ${refusal.message}; nothing written\n` };
    return { stdout: render("pretty", refusal.diagnostics, "nothing written"), stderr: "" };
  }
  const { plan, check: checked } = outcome;
  const lines = plan.files.map((f) => `created ${f.file}: ${f.what}`);
  const summary = outcome.removed
    ? `removed again what new wrote (${plan.files.map((f) => f.file).join(", ")}): nothing written`
    : checkSummary(eventsDir, checked);
  let text = `${lines.join("\n")}\n\n${render("pretty", checked.diagnostics, summary)}`;
  if (outcome.removed) return { stdout: text, stderr: "" };
  if (outcome.errorsElsewhere) {
    text += "\nThe new files are kept: the errors are in other files, and they stop the check before it tries the new example.\n";
  }
  text += `\nNext:\n${plan.next.map((step, i) => wrap(`${i + 1}. ${step}`, "  ", "     ")).join("")}`;
  return { stdout: text, stderr: "" };
}

/**
 * Wraps a paragraph at 100 columns: `first` before its first line, `rest` before the others. A
 * quoted stretch ("deprecated": true, a JSON snippet) is never broken, so it can be copied whole.
 */
function wrap(text: string, first: string, rest: string): string {
  const words: string[] = [];
  for (const word of text.split(" ")) {
    const last = words.at(-1);
    // Inside quotes or braces while the words so far hold more openings than closings; a JSON key keeps its value.
    const count = (s: string, c: string) => s.split(c).length - 1;
    const open = last !== undefined && (count(last, '"') % 2 === 1 || count(last, "{") > count(last, "}") || last.endsWith('":'));
    if (open) words[words.length - 1] = `${last} ${word}`;
    else words.push(word);
  }
  const out: string[] = [];
  let line = first;
  for (const word of words) {
    if (line.trim() !== "" && line.length + 1 + word.length > 100) {
      out.push(line);
      line = rest;
    }
    line += line.trim() === "" ? word : ` ${word}`;
  }
  out.push(line);
  return `${out.join("\n")}\n`;
}
