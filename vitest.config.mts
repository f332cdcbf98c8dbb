// Unit and integration tests. Integration tests start real servers through test-support/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{main,preload,renderer,test-support,scripts}/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real servers and tools share two cores: keep the number of parallel files modest.
    maxWorkers: 2,
    allowOnly: false,
  },
});
