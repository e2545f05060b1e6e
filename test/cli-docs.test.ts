/** docs/cli.md is generated from the commands' declarations (scripts/cli-docs.ts) and kept current. */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { CLI_DOCS, CLI_DOCS_COMMAND, cliDocs } from "../scripts/cli-docs.js";
import { COMMANDS } from "../src/commands/index.js";
import { ROOT } from "./helpers.js";

it(`${CLI_DOCS} is the page the declarations give (update: ${CLI_DOCS_COMMAND})`, async () => {
  const written = await readFile(path.join(ROOT, CLI_DOCS), "utf8").catch(() => "");
  expect(written === cliDocs(), `${CLI_DOCS} is not current: run ${CLI_DOCS_COMMAND}`).toBe(true);
});

it("has a section per command, with every flag and exit code it declares", () => {
  const page = cliDocs();
  for (const command of COMMANDS) {
    const section = page.slice(page.indexOf(`\n## ${command.name}\n`)).split(/\n## /)[1] ?? "";
    expect(section.startsWith(`${command.name}\n`), command.name).toBe(true);
    for (const flag of command.flags) expect(section, `${command.name} --${flag.name}`).toContain(`--${flag.name}`);
    for (const exit of command.exits) expect(section, `${command.name} exit ${exit.code}`).toContain(`| ${exit.code} |`);
  }
});
