import { defineConfig } from 'vitest/config';

/** Unit tests are pure and fast; integration tests run the real client and engine against the real sandbox. */
export default defineConfig({
  test: {
    // Vitest's default on two cores is one worker; the integration tests mostly wait on the sandbox and child
    // processes, so two files at once finish sooner without starving either.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
