#!/usr/bin/env node
/** The `domain-events` executable: runs main and exits with its code. */

import { main } from "./cli/main.js";

process.exitCode = await main(process.argv.slice(2));
