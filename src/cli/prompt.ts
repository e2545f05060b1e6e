/**
 * Questions on a terminal, for `domain-events new`: each shows its default in brackets, takes the
 * default on an empty answer, and asks again while the answer is refused, saying why. The
 * Prompter interface is declared where it is used (src/authoring/new.ts); the CLI makes one and
 * passes it to the command through its context.
 */

import { createInterface } from "node:readline/promises";
import type { Prompter } from "../authoring/new.js";

export type { AskOptions, Prompter } from "../authoring/new.js";

/** The author ended the questions (Ctrl-C, Ctrl-D): nothing is written. */
export class PromptCancelled extends Error {}

/**
 * A prompter over a terminal (node:readline/promises, with line editing). The interface, which
 * puts the terminal in raw mode, is made on the first question and ends with close().
 */
export function terminalPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  let rl: ReturnType<typeof createInterface> | undefined;
  // Ctrl-C and Ctrl-D close the interface; a question then pending must end too.
  const closed = new AbortController();
  const open = () => {
    if (!rl) {
      rl = createInterface({ input, output, terminal: true });
      rl.on("close", () => closed.abort());
    }
    return rl;
  };
  return {
    async ask(question, options = {}) {
      const shown = options.default ? `${question} [${options.default}]: ` : `${question}: `;
      for (;;) {
        let answer: string;
        try {
          answer = await open().question(shown, { signal: closed.signal });
        } catch (e) {
          if (closed.signal.aborted) throw new PromptCancelled("cancelled");
          throw e;
        }
        const value = answer.trim() === "" ? (options.default ?? "") : answer.trim();
        const problem = options.check?.(value);
        if (problem === undefined) return value;
        output.write(`  ${problem}\n`);
      }
    },
    say(text) {
      output.write(`${text}\n`);
    },
    close() {
      rl?.close();
    },
  };
}
