/**
 * Debian's Chromium driven by playwright-core (browsers cannot be downloaded
 * on these machines). Under CI=true a missing browser is a failure, never a skip.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}; CI must install it (apt-get install -y chromium)`);
  }
  console.warn(
    `Chromium not found at ${CHROMIUM_PATH}: skipping browser tests (install it: apt-get install -y chromium)`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
