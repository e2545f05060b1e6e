/** The README documents what the code does: its table of diagnostic codes is the current one. */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { withTable } from "../scripts/codes-table.js";
import { ROOT } from "./helpers.js";

it("README's table of diagnostic codes matches src/diagnostics/index.ts (update: npx tsx scripts/codes-table.ts --write)", async () => {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  expect(readme).toBe(withTable(readme));
});

it("README names the two set-up commands", async () => {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  expect(readme).toContain("npm ci && npm run build");
  expect(readme).toContain("npm test");
});
