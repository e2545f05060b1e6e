/** Before the tests: clear the scratch folder .tmp/ left by earlier runs (it is gitignored). */

import { rm } from "node:fs/promises";
import path from "node:path";

export default async function setup(): Promise<void> {
  await rm(path.resolve(import.meta.dirname, "../../.tmp"), { recursive: true, force: true });
}
