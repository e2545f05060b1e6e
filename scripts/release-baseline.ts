/**
 * npm run release:baseline — after a release, record its events.json as the baseline that
 * `npm run diff` (and CI) compare the tree with. Run it on the commit that was released.
 */

import { copyFile, mkdir } from "node:fs/promises";

await mkdir("baseline", { recursive: true });
await copyFile("dist/events.json", "baseline/events.json");
process.stdout.write("baseline/events.json now holds the released events: commit it with the release.\n");
