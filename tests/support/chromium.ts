// Where Debian's Chromium is and how every test launches it (never a downloaded browser).
import { existsSync } from 'node:fs';

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Throws a message that says how to install Chromium, instead of letting a launch hang. */
export function assertChromium(): void {
  const path = chromiumPath();
  if (!existsSync(path)) {
    throw new Error(
      `Chromium was not found at ${path}. Browser tests need Debian's Chromium: run "apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH).`,
    );
  }
}

/** Flags that keep a headless Chromium off the network and quiet on this closed machine. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
