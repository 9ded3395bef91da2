// Browser journeys for Accord. scripts/test runs them with the binary its test build made;
// global-setup.ts starts a fresh server on a throw-away SQLite file with the demo data.
import { defineConfig } from '@playwright/test';

// Debian's chromium, never a downloaded browser (the machines reach no browser CDN).
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  // One server, one database: the journeys run one after another.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    // Set by global-setup.ts (which runs before the workers load this file again).
    baseURL: process.env.ACCORD_E2E_BASE_URL,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.ACCORD_CHROMIUM || '/usr/bin/chromium',
          args: chromiumArgs,
        },
      },
    },
  ],
});
