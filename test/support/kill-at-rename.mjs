/**
 * A crash at a chosen moment of a folder swap, for the tests (loaded with `node --import`): the
 * process kills itself with SIGKILL at a rename that moves the folder KILL_OUT. KILL_AT says when:
 * `before-move-away` (just before the out folder is renamed away), `between-renames` (just after it
 * was), `after-move-in` (just after a new folder was renamed into its place). It patches the fs
 * module itself, so it tests the code as it runs, without a hook inside it.
 */

import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";

const out = path.resolve(process.env.KILL_OUT ?? "");
const at = process.env.KILL_AT;
const die = () => process.kill(process.pid, "SIGKILL");
const moment = (from, to, after) => {
  const f = path.resolve(String(from));
  const t = path.resolve(String(to));
  if (!after && f === out && at === "before-move-away") die();
  if (after && f === out && at === "between-renames") die();
  if (after && t === out && at === "after-move-in") die();
};
const rename = fs.promises.rename;
fs.promises.rename = async (from, to) => {
  moment(from, to, false);
  await rename(from, to);
  moment(from, to, true);
};
const renameSync = fs.renameSync;
fs.renameSync = (from, to) => {
  moment(from, to, false);
  renameSync(from, to);
  moment(from, to, true);
};
syncBuiltinESMExports();
