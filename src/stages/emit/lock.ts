/**
 * One build at a time per output folder: a lock file `<out>.lock`, created with O_EXCL, holds the
 * writer's pid, host and (where /proc has it) the process's start time. A second build waits for it
 * (up to LOCK_WAIT_MS, then it is refused); the lock of a process that is certainly gone is taken
 * over.
 */

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { asEmitError, EmitError } from "./errors.js";

/** How long a build waits for another build of the same folder to finish before refusing. */
const LOCK_WAIT_MS = 5 * 60 * 1000;

/** Who holds a lock: its pid, host and (where /proc tells) its start time. */
interface Holder {
  pid: number;
  host: string;
  start?: string;
}

/** Takes the lock of `out`, waiting while another live build holds it; returns its release. */
export async function lock(out: string, display: string): Promise<() => Promise<void>> {
  const file = `${out}.lock`;
  const me: Holder = { pid: process.pid, host: hostname(), ...startOf(process.pid) };
  const text = JSON.stringify(me);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await writeFile(file, text, { flag: "wx" });
      return async () => {
        // Only our own lock: a lock taken over (we were thought gone) is the new holder's.
        if ((await readFile(file, "utf8").catch(() => "")) === text) await rm(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw asEmitError(e, display);
    }
    const held = await readFile(file, "utf8").catch(() => undefined);
    if (held === undefined) continue; // released meanwhile
    const holder = parseHolder(held);
    if (holder && gone(holder)) {
      await takeOver(file, held);
      continue;
    }
    if (Date.now() > deadline) {
      const who = holder ? `process ${holder.pid}${holder.host === me.host ? "" : ` on ${holder.host}`}` : "another build";
      throw new EmitError(
        `${display} is being written by ${who} (${display}.lock); wait for it to finish, or delete ${display}.lock if no build is running`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Removes a dead holder's lock: renamed aside first, so that of two builds taking over the same
 * stale lock only one removes it; should the one renamed aside turn out to be a new holder's, it
 * is put back.
 */
async function takeOver(file: string, stale: string): Promise<void> {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await rename(file, aside);
  } catch {
    return; // someone else took it over, or its holder released it
  }
  const text = await readFile(aside, "utf8").catch(() => stale);
  if (text !== stale) await writeFile(file, text, { flag: "wx" }).catch(() => undefined);
  await rm(aside, { force: true });
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.pid === "number" && Number.isInteger(value.pid) && value.pid > 0 && typeof value.host === "string") {
      return { pid: value.pid, host: value.host, ...(typeof value.start === "string" ? { start: value.start } : {}) };
    }
  } catch {
    // Being written (O_EXCL creates it empty), or not ours: held, until the wait runs out.
  }
  return undefined;
}

/** Whether the lock's holder is certainly gone: a process of this host that no longer runs (or whose pid was reused). */
function gone(holder: Holder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
  const now = startOf(holder.pid).start;
  return holder.start !== undefined && now !== undefined && now !== holder.start;
}

/** A process's start time (Linux: /proc/<pid>/stat, field 22), which tells a reused pid apart. */
function startOf(pid: number): { start?: string } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return start ? { start } : {};
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers
