import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // generous: many tests start the CLI or s3rver, which takes long on a loaded 2-core machine
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
  },
});
