/**
 * The peers' compatibility suites (`npm run test:peers`): Confluent Schema Registry's and Apicurio
 * Registry's own test data, read from DOMAIN_EVENTS_COMPAT_DIR (default ../shared/compat). The data
 * stays outside the repository; see test-peers/peers.ts.
 */

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test-peers/**/*.test.ts"],
    testTimeout: 120_000,
  },
});
