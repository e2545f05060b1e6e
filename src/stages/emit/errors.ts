/**
 * The refusals of emit: what a failed file operation means to the user (a folder that is not
 * writable, a full disk), said in one line, as opposed to a bug.
 */

import { UserError } from "../../model/user-error.js";

/** A refusal to write, caused by the user's choice of folder rather than by a bug. */
export class EmitError extends UserError {
  override name = "EmitError";
}

/** What a failed file operation means to the user, as an EmitError; anything else (a bug, tsup) as it is. */
export function asEmitError(e: unknown, display: string): unknown {
  if ((e as Error)?.name === "EmitError") return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code !== "string" || typeof (e as NodeJS.ErrnoException).syscall !== "string") return e;
  const what: Record<string, string> = {
    EACCES: "make it, and the folder it is in, writable, or choose another output folder",
    EPERM: "make it, and the folder it is in, writable, or choose another output folder",
    EROFS: "its file system is read-only; choose another output folder",
    ENOTDIR: "a part of its path is a file, not a folder; choose another output folder",
    EEXIST: "a part of its path is a file, not a folder; choose another output folder",
    ENOSPC: "the disk is full; free some space and build again",
    EDQUOT: "the disk quota is used up; free some space and build again",
  };
  return new EmitError(`could not write ${display} (${code}); ${what[code] ?? "check the folder and build again"}; nothing was changed`);
}
