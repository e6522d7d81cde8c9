// npm test runs real-browser tests: without Chromium it must fail loudly, never skip quietly.
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  console.error(`Chromium was not found at ${CHROMIUM}; the browser tests need it.
Install it with:   sudo apt-get update && sudo apt-get install -y chromium
or point CHROMIUM_PATH at another Chromium or Chrome binary.`);
  process.exit(1);
}
