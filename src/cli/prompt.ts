/**
 * Questions on a terminal, for `domain-events new`: each shows its default in brackets, takes the
 * default on an empty answer, and asks again while the answer is refused, saying why.
 */

import { createInterface } from "node:readline/promises";

/** What a question may come with. */
export interface AskOptions {
  /** Taken on an empty answer; shown in brackets. */
  default?: string;
  /** Returns why an answer is refused, or undefined to accept it. */
  check?: (answer: string) => string | undefined;
}

/** Asks questions and says things between them. */
export interface Prompter {
  /** Asks until an answer is accepted; returns it trimmed. Rejects with PromptCancelled on Ctrl-C or Ctrl-D. */
  ask(question: string, options?: AskOptions): Promise<string>;
  /** Prints one line between questions. */
  say(text: string): void;
  close(): void;
}

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
