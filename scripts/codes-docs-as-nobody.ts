/**
 * Runs the CLI as the unprivileged user nobody and prints `{ exit, stdout }` as JSON, for the one
 * example that root cannot produce (LAYOUT_READ_FAILED: a file its reader may not read). The CLI is
 * loaded as root first; then the process drops its privileges and runs it.
 */

import { main } from "../src/cli/main.js";

process.setgroups?.([]);
process.setgid?.(65534);
process.setuid?.(65534);
let stdout = "";
const exit = await main(process.argv.slice(2), { write: (s: string) => (stdout += s) }, process.stderr);
process.stdout.write(JSON.stringify({ exit, stdout }));
