/**
 * The one base class of the errors that are the user's to fix: a file named on the command line
 * that cannot be used, an output folder that cannot be replaced, a missing authoring tool, a
 * baseline that cannot be read. The CLI reports any of them as bad usage (exit 2) in one line, and
 * everything else as a bug; a new kind of user error only has to extend this class, where a list
 * of classes in the CLI would report one left off it as "internal error".
 */
export class UserError extends Error {
  /** Recognised across copies of this module too (a bundled CLI and a worker, say), where instanceof fails. */
  readonly userError = true;
}

/** True for a UserError, from this copy of the module or another; never throws, whatever `e` is. */
export function isUserError(e: unknown): e is UserError {
  try {
    return e instanceof UserError || (typeof e === "object" && e !== null && (e as { userError?: unknown }).userError === true);
  } catch {
    return false;
  }
}
