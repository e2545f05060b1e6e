/**
 * `domain-events new`: scaffolds an event, or the next version of one, then checks the tree.
 *
 *   discover (the tree as it is)  →  answers (flags, defaults, or questions on a terminal)  →
 *   plan (scaffold.ts: pure)  →  emitNew (new files only, the event file last)  →  check
 *
 * When the check finds an error in what was just written, it is removed again: `new` leaves a
 * valid event or nothing. Nothing here prints: the outcome is data, which the CLI renders
 * (src/cli/render-new.ts) and turns into an exit code (src/cli/present.ts); the questions go
 * through a Prompter that the CLI passes in (src/cli/prompt.ts makes one over a terminal).
 */

import path from "node:path";
import { type Diagnostic, hasErrors } from "../diagnostics/index.js";
import { type CheckResult, check } from "../pipeline.js";
import { discover } from "../stages/discover.js";
import { emitNew } from "../stages/emit/files.js";
import { schemaRefFor } from "./editor-schema.js";
import {
  CHANGE_PLACEHOLDER,
  checkAnswer,
  type EventPath,
  latestVersion,
  type NewEventAnswers,
  newEventDefaults,
  type PlanResult,
  planNewEvent,
  planNewVersion,
  type Refusal,
  readEventPath,
  type ScaffoldPlan,
  type ScaffoldTree,
} from "./scaffold.js";

/** What a question may come with. */
export interface AskOptions {
  /** Taken on an empty answer; shown in brackets. */
  default?: string;
  /** Returns why an answer is refused, or undefined to accept it. */
  check?: (answer: string) => string | undefined;
}

/**
 * Asks questions and says things between them. Declared here, where it is used, and implemented by
 * the CLI (src/cli/prompt.ts), so that authoring does not import the layer above it.
 */
export interface Prompter {
  /** Asks until an answer is accepted; returns it trimmed. Rejects when the person ends the questions (Ctrl-C, Ctrl-D). */
  ask(question: string, options?: AskOptions): Promise<string>;
  /** Prints one line between questions. */
  say(text: string): void;
  close(): void;
}

/** Answers given as flags; each one given is not asked. */
export interface NewFlags {
  title?: string;
  description?: string;
  owner?: string;
  systemTitle?: string;
  systemDescription?: string;
  /** --version: what changes in the new version, and why. */
  change?: string;
}

/** What `new` is asked to do. */
export interface NewOptions {
  eventsDir: string;
  /** Folder that paths are shown relative to (default: process.cwd()). */
  cwd?: string;
  /** `<system>/<topic>/<event>`, when given on the command line. */
  path?: string;
  /** --version: copy the latest version to the next one. */
  nextVersion: boolean;
  flags: NewFlags;
  /** --yes: take the default of every value not given. */
  yes: boolean;
  /** Present when stdin and stdout are a terminal: missing values are asked. */
  prompter?: Prompter;
  /** The build cache of the check afterwards (false: none). */
  cacheDir?: string | false;
}

/** How `new` ended. */
export type NewOutcome =
  /** Values were missing and nobody could be asked (exit 2). */
  | { kind: "missing"; needed: string[] }
  /** Nothing was written: a name check refuses (diagnostics, exit 1) or a bad request (exit 2). */
  | { kind: "refused"; refusal: Refusal }
  /** Files were written and the tree checked; `removed` when the check refused them and they were removed again. */
  | { kind: "written"; plan: ScaffoldPlan; check: CheckResult; removed: boolean; errorsElsewhere: boolean };

/** The names of the flags, for messages. */
const FLAG: Record<keyof NewFlags, string> = {
  title: "--title",
  description: "--description",
  owner: "--owner",
  systemTitle: "--system-title",
  systemDescription: "--system-description",
  change: "--change",
};

/** Runs `new`: see the module comment. Throws what the prompter throws when the author ends the questions. */
export async function runNew(options: NewOptions): Promise<NewOutcome> {
  const empty = (Object.keys(FLAG) as (keyof NewFlags)[]).find(
    (k) => options.flags[k] !== undefined && checkAnswer(options.flags[k] as string) !== undefined,
  );
  if (empty) return { kind: "refused", refusal: { message: `${FLAG[empty]} must not be empty`, diagnostics: [] } };
  const cwd = options.cwd ?? process.cwd();
  const found = await discover({ eventsDir: options.eventsDir, cwd });
  const base = path.relative(cwd, path.resolve(cwd, options.eventsDir)).split(path.sep).join("/") || ".";
  // A missing or empty folder is fine (new makes the first event); a linked one is not.
  const fatal = found.diagnostics.filter((d) => d.file === base && d.code === "LAYOUT_SYMLINK");
  if (fatal.length > 0) return { kind: "refused", refusal: { message: (fatal[0] as Diagnostic).message, diagnostics: fatal } };
  const eventSchema = schemaRefFor(path.resolve(cwd, options.eventsDir), "system/topic/event.json", "event");
  const tree: ScaffoldTree = { base, files: found.value, eventSchema };
  const mode = options.nextVersion ? "version" : "new";
  const { prompter, flags } = options;
  const missing: string[] = [];

  // The path: from the command line, else asked; a bad one given on a terminal is asked again.
  let where: EventPath | undefined;
  if (options.path !== undefined) {
    const read = readEventPath(options.path, tree, mode);
    if (read.ok) where = read.path;
    else if (!prompter) return { kind: "refused", refusal: read.refusal };
    else prompter.say(`  ${read.refusal.message}`);
  }
  if (!where) {
    if (!prompter) return { kind: "missing", needed: ["<system>/<topic>/<event>"] };
    const systems = [...new Set(tree.files.flatMap((f) => (f.kind.kind === "shared" ? [] : [f.kind.system])))];
    if (mode === "new" && systems.length > 0) prompter.say(`Systems: ${systems.join(", ")}`);
    let accepted: EventPath | undefined;
    await prompter.ask(
      mode === "new"
        ? "Event (<system>/<topic>/<event>, e.g. billing/invoice/invoice-issued)"
        : "Event to give a new version (<system>/<topic>/<event>)",
      {
        check: (answer) => {
          const read = readEventPath(answer, tree, mode);
          accepted = read.ok ? read.path : undefined;
          return read.ok ? undefined : read.refusal.message;
        },
      },
    );
    where = accepted as EventPath;
  }

  /** One value: the flag, else the answer to the question, else (with --yes) the default. */
  const value = async (key: keyof NewFlags, question: string, fallback: string): Promise<string> => {
    const given = flags[key];
    if (given !== undefined) return given;
    if (prompter) return prompter.ask(question, { default: fallback, check: checkAnswer });
    if (!options.yes) missing.push(FLAG[key]);
    return fallback;
  };

  let planned: PlanResult;
  if (mode === "version") {
    const version = latestVersion(tree, where) + 1;
    const change = await value("change", `What changes in version ${version}, and why?`, CHANGE_PLACEHOLDER);
    if (missing.length > 0) return { kind: "missing", needed: missing };
    planned = planNewVersion(tree, where, change);
  } else {
    const defaults = newEventDefaults(tree, where);
    const answers: NewEventAnswers = {
      title: await value("title", "Title", defaults.title),
      description: await value("description", "Description (when it is emitted, and by whom)", defaults.description),
    };
    if (defaults.system) {
      prompter?.say(`${where.system} is a new system: its system.json says what it is and who owns it.`);
      answers.system = {
        title: await value("systemTitle", "System title", defaults.system.title),
        description: await value("systemDescription", "System description", defaults.system.description),
        owner: await value("owner", "Owner (the team)", defaults.system.owner),
      };
    }
    if (missing.length > 0) return { kind: "missing", needed: missing };
    planned = planNewEvent(tree, where, answers);
  }
  // The questions are over: give the terminal back (Ctrl-C during the check is an ordinary interrupt).
  prompter?.close();
  if (!planned.ok) return { kind: "refused", refusal: planned.refusal };

  const { plan } = planned;
  const remove = await emitNew(path.resolve(cwd, options.eventsDir), plan.files);
  const checked = await check({
    eventsDir: options.eventsDir,
    cwd,
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
  });
  const ours = new Set(plan.files.map((f) => f.file));
  const oursFailed = hasErrors(checked.diagnostics.filter((d) => ours.has(d.file)));
  if (oursFailed) await remove();
  return {
    kind: "written",
    plan,
    check: checked,
    removed: oursFailed,
    errorsElsewhere: hasErrors(checked.diagnostics.filter((d) => !ours.has(d.file))),
  };
}
