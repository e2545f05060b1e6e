/**
 * Runs the CLI as the unprivileged user nobody and prints `{ code, stdout, stderr }` as JSON, for
 * what root cannot produce: a folder it may not write (root ignores permissions). The CLI is loaded
 * as root first (the repository may sit where nobody cannot go), then the process drops its
 * privileges and runs it with the given arguments.
 */

import { main } from "../../src/cli/main.js";

process.setgroups?.([]);
process.setgid?.(65534);
process.setuid?.(65534);
let stdout = "";
let stderr = "";
const code = await main(process.argv.slice(2), { write: (s: string) => (stdout += s) }, { write: (s: string) => (stderr += s) });
process.stdout.write(JSON.stringify({ code, stdout, stderr }));
