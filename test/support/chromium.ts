import * as fs from 'fs';

/** Debian's Chromium, driven by playwright-core (which downloads no browser of its own). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags a root, offline machine needs: no sandbox, and no background connections to refuse. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Whether headless Chromium can run here. Locally its absence skips the browser tests with this
 * reason; under CI=true it is an error, because .ci/run installs it.
 */
export function chromiumAvailability(): { ok: boolean; reason: string } {
  const ok = fs.existsSync(CHROMIUM);
  const availability = ok ? { ok, reason: CHROMIUM } : { ok, reason: `${CHROMIUM} not found (apt-get install -y chromium)` };
  if (!ok && process.env.CI === 'true') throw new Error(`${availability.reason}: CI must run the browser tests; .ci/run installs Debian's chromium`);
  return availability;
}
