/**
 * recheck's analyser asked directly, for the pipeline's judging of every new pattern at once
 * (redos.ts judgePatterns). recheck ships its analyser as a native program per platform (the
 * package recheck-<os>-<arch>); its asynchronous `check` starts it as `recheck agent` and asks it
 * in JSON-RPC lines on its standard streams. This module does the same without loading recheck's
 * JavaScript: 3 MB that cost a cold build a fifth of a second before its first answer, on the
 * thread every stage waits for. The same program, the same parameters: the same verdicts.
 *
 * Where recheck would not use that program (none installed for this platform, or RECHECK_BACKEND
 * asking for another backend), `startAgent` gives undefined and the caller uses recheck's own
 * `check`. RECHECK_BIN names another program, as it does for recheck.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The platform names in recheck's package names. */
const OS: Partial<Record<NodeJS.Platform, string>> = { darwin: "macos", linux: "linux", win32: "windows" };
const ARCH: Partial<Record<string, string>> = { x64: "x64", arm64: "arm64" };

/** The analyser stopped, could not be asked or gave no result: not a verdict on any pattern (the caller asks again another way). */
export class AgentStopped extends Error {}

/** A running analyser: asked with recheck's `check` arguments; closed when the run has its verdicts. */
export interface Agent {
  check(source: string, flags: string, params: object): Promise<unknown>;
  close(): void;
}

/** The analyser program recheck's own `check` would start, when there is one. */
function agentProgram(): string | undefined {
  const backend = process.env.RECHECK_BACKEND ?? "auto";
  if (backend !== "auto" && backend !== "native") return undefined;
  if (process.env.RECHECK_BIN) return process.env.RECHECK_BIN;
  const os = OS[process.platform];
  const arch = ARCH[process.arch];
  if (!os || !arch) return undefined;
  try {
    return require.resolve(`recheck-${os}-${arch}/package.json`).replace(/package\.json$/, os === "windows" ? "recheck.exe" : "recheck");
  } catch {
    return undefined;
  }
}

/** Starts the analyser and waits for its answer to a ping; undefined when it cannot be started. */
export async function startAgent(): Promise<Agent | undefined> {
  const program = agentProgram();
  if (!program) return undefined;
  const child = spawn(program, ["agent"], { stdio: ["pipe", "pipe", "ignore"], windowsHide: true });
  const agent = new JsonRpcAgent(child);
  try {
    await agent.request("ping", {});
    return agent;
  } catch {
    agent.close();
    return undefined;
  }
}

/** What the agent answers on a line: a result or an error for a request's id, or a message pushed (a log line, ignored). */
interface Answer {
  id?: number;
  result?: unknown;
  error?: { message?: string };
  message?: unknown;
}

class JsonRpcAgent implements Agent {
  private next = 0;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private rest = "";
  private failure: Error | undefined;

  constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (text: string) => this.read(text));
    const fail = (e: Error) => {
      this.failure ??= new AgentStopped(`the ReDoS analyser (recheck agent) stopped: ${e.message}`);
      for (const w of this.waiting.values()) w.reject(this.failure);
      this.waiting.clear();
    };
    child.on("error", fail);
    child.on("close", (code, signal) => fail(new Error(`exit ${signal ?? code}`)));
    child.stdin?.on("error", fail);
  }

  check(source: string, flags: string, params: object): Promise<unknown> {
    return this.request("check", { source, flags, params });
  }

  request(method: string, params: object): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin?.write(`${JSON.stringify({ jsonrpc: "2.0+push", id, method, params })}\n`);
    });
  }

  close(): void {
    this.child.stdin?.end();
    this.child.kill();
  }

  private read(text: string): void {
    const lines = (this.rest + text).split("\n");
    this.rest = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      let answer: Answer;
      try {
        answer = JSON.parse(line) as Answer;
      } catch {
        continue;
      }
      if (answer.id === undefined || answer.message !== undefined) continue;
      const w = this.waiting.get(answer.id);
      if (!w) continue;
      this.waiting.delete(answer.id);
      if (answer.result !== undefined) w.resolve(answer.result);
      // An error for a question is no verdict either: the caller asks recheck itself.
      else w.reject(new AgentStopped(`the ReDoS analyser (recheck agent) gave no result: ${answer.error?.message ?? "no reason"}`));
    }
  }
}
