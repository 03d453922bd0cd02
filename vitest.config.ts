import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

// One runner for every suite: unit tests beside the code, cross-module suites in test/.
// Suites run in separate processes (forks): native modules and loopback servers stay isolated.
export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts', 'main/**/*.test.ts', 'renderer/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
