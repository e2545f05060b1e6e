/**
 * Runs check on a tree as the unprivileged user nobody, for the one case root cannot produce: a
 * file it cannot read. The pipeline is loaded as root first (the repository may sit where nobody
 * cannot go), then the process drops its privileges and checks the tree, which lies where nobody
 * can reach it. Prints the diagnostics as JSON.
 */

import { check } from "../../src/pipeline.js";

const [eventsDir] = process.argv.slice(2);
process.setgroups?.([]);
process.setgid?.(65534);
process.setuid?.(65534);
const result = await check({ eventsDir });
process.stdout.write(JSON.stringify({ ok: result.ok, diagnostics: result.diagnostics }));
