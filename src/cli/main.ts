/**
 * The command line: parses the arguments (from the commands' declarations), runs the command,
 * prints what it returned, and gives the exit code. The only place, with src/cli.ts, that prints
 * or touches the terminal.
 *
 *   parseCommandLine (parse.ts)  →  command.run (src/commands/<name>.ts, returns data)  →
 *   present (present.ts: the text and the exit code)  →  out, err
 *
 * Exit codes (docs/cli.md): 0 ok (warnings allowed), 1 findings, 2 bad usage or a bug.
 */

import { type CommandArgs, type CommandContext, isUsageError } from "../commands/spec.js";
import type { WatchFrame } from "../commands/watch.js";
import { isUserError } from "../model/user-error.js";
import { commandHelp, globalHelp } from "./help.js";
import { commandOf, parseCommandLine } from "./parse.js";
import { present } from "./present.js";
import { ProgressLine, type ProgressWriter, wantsProgress } from "./progress.js";
import { PromptCancelled, type Prompter, terminalPrompter } from "./prompt.js";
import type { Format } from "./render.js";
import { renderWatchFrame } from "./render-watch.js";

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";

/** Where the CLI prints: process.stdout and process.stderr, or anything with write(). */
export interface Writer {
  write(text: string): unknown;
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], out: Writer = process.stdout, err: Writer = process.stderr): Promise<number> {
  const session = new Session(out, err);
  try {
    const invocation = parseCommandLine(argv);
    if (invocation.kind === "help") {
      out.write(invocation.command ? commandHelp(invocation.command) : globalHelp());
      return 0;
    }
    if (invocation.kind === "version") {
      out.write(`${VERSION}\n`);
      return 0;
    }
    const { command, args } = invocation;
    const result = await command.run(args, session.context(args));
    session.endProgress();
    const shown = present(command.name, result, args);
    if (shown.stdout) out.write(shown.stdout);
    if (shown.stderr) err.write(shown.stderr);
    return shown.code;
  } catch (e) {
    session.endProgress();
    err.write(errorMessage(e, commandOf(argv)));
    return 2;
  } finally {
    session.close();
  }
}

/**
 * What the CLI says when a command did not finish: bad usage in one line (with where to read the
 * usage when it was the command line's fault), a cancelled prompt, or a bug, said as such.
 */
function errorMessage(e: unknown, command: string | undefined): string {
  if (e instanceof PromptCancelled) return "\ndomain-events: cancelled; nothing written\n";
  if (isUsageError(e) || (e as { code?: string } | undefined)?.code?.startsWith?.("ERR_PARSE_ARGS")) {
    const help = command === undefined ? "domain-events --help" : `domain-events ${command} --help`;
    return `domain-events: ${(e as Error).message}\nRun "${help}" for usage.\n`;
  }
  if (isUserError(e)) return `domain-events: ${(e as Error).message}\n`;
  const debug = process.env.DOMAIN_EVENTS_DEBUG ? `${(e as Error)?.stack}\n` : "";
  return `domain-events: internal error: ${(e as Error)?.message ?? String(e)} (this is a bug in domain-events, not in your events)\n${debug}`;
}

/**
 * What a running command may ask of the terminal: a prompter (made on first use, when stdin and
 * stdout are a terminal), a stop signal (SIGINT and SIGTERM are caught from first use), where
 * to print the frames of a long run, and a progress line on stderr while it works (cli/progress.ts;
 * only on a terminal, in the pretty format, without --watch). close() gives all of it back.
 */
class Session {
  private prompter: Prompter | undefined;
  private stop: AbortController | undefined;
  private progress: ProgressLine | undefined;
  private readonly onSignal = () => this.stop?.abort();

  constructor(
    private readonly out: Writer,
    private readonly err: Writer,
  ) {}

  context(args: CommandArgs): CommandContext {
    // The flags of the command run; format and watch are absent from commands that have neither.
    const { format, watch } = args.flags as { format?: string; watch?: boolean };
    const err = this.err as ProgressWriter;
    if (wantsProgress({ writer: err, format, watch: watch === true, env: process.env })) this.progress = new ProgressLine(err);
    return {
      prompter: () => {
        // Questions only when a person is there to answer them: not when main prints elsewhere (tests).
        const tty = this.out === process.stdout && process.stdin.isTTY === true && process.stdout.isTTY === true;
        if (tty) this.prompter ??= terminalPrompter(process.stdin, process.stdout);
        return this.prompter;
      },
      stopSignal: () => {
        // Until then Ctrl-C ends the process as usual; from now on it ends the run (exit 0).
        if (!this.stop) {
          this.stop = new AbortController();
          process.once("SIGINT", this.onSignal).once("SIGTERM", this.onSignal);
        }
        return this.stop.signal;
      },
      // A timing line is printed above the progress line, which the next report draws again.
      onStage: process.env.DOMAIN_EVENTS_TIMING ? (stage, ms) => this.printAbove(`timing ${stage} ${ms.toFixed(0)} ms\n`) : undefined,
      onProgress: this.progress ? (event) => this.progress?.update(event) : undefined,
      onFrame: (frame: WatchFrame) => {
        const { stdout, stderr } = renderWatchFrame(args.flags.format as Format, frame);
        if (stdout) this.out.write(stdout);
        if (stderr) this.err.write(stderr);
      },
    };
  }

  /** Erases the progress line for good: the result (or the error) is printed on a clean row. */
  endProgress(): void {
    this.progress?.finish();
  }

  private printAbove(text: string): void {
    if (this.progress) this.progress.above(text);
    else this.err.write(text);
  }

  close(): void {
    this.endProgress();
    this.prompter?.close();
    if (this.stop) process.off("SIGINT", this.onSignal).off("SIGTERM", this.onSignal);
  }
}
