import { defineConfig } from "vitest/config";

/** `npm run test:long`: the slow variants (a 1,500-upload job…), never part of `npm test`. */
export default defineConfig({
  test: {
    include: ["test/long/**/*.test.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 1_500_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 1,
    env: { MAAS_LOG_LEVEL: "silent", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
