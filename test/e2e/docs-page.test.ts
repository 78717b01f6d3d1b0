/**
 * The reference page opened as a reader opens it: `/docs` from the local runtime in a real headless
 * browser (Debian's `chromium`, driven by playwright-core). It must list every operation of the
 * catalog by its id, load nothing from any other host, and run under its Content-Security-Policy
 * without a single violation. Where no browser is installed the test is skipped, and says so.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { operations } from '../../functions/catalog.ts';
import { baseUrl } from '../support/http.ts';

const BROWSER = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missing = existsSync(BROWSER) ? undefined : `no browser at ${BROWSER}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`;
if (missing) console.warn(`docs page test skipped: ${missing}`);

describe('the reference page in a headless browser', () => {
  it.skipIf(missing !== undefined)(
    missing ? `lists every operation (skipped: ${missing})` : 'lists every operation, loads nothing from elsewhere, and breaks none of its CSP',
    async () => {
      // A fresh profile each launch (playwright's); the flags keep a sandboxed, offline machine quiet: no background connections, no first-run work.
      const browser = await chromium.launch({
        executablePath: BROWSER,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage();
        const problems: string[] = [];
        const origin = new URL(baseUrl()).origin;
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(`console: ${message.text()}`);
        });
        page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
        page.on('request', (request) => {
          if (!request.url().startsWith(`${origin}/`) && !request.url().startsWith('data:')) problems.push(`request elsewhere: ${request.url()}`);
        });
        // A violation of the page's CSP, as the browser reports it to the page.
        await page.addInitScript({
          content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
        });
        const response = await page.goto(`${baseUrl()}/docs`);
        expect(response?.status()).toBe(200);
        await page.waitForSelector('.opblock-summary-operation-id', { timeout: 60_000 });
        await page.waitForFunction(`document.querySelectorAll('.opblock-summary-operation-id').length >= ${operations.length}`, undefined, { timeout: 60_000 });
        const listed = new Set((await page.locator('.opblock-summary-operation-id').allTextContents()).map((text) => text.trim()));
        expect(operations.map((op) => op.name).filter((name) => !listed.has(name))).toEqual([]);
        expect(await page.title()).toBe('Rapport API reference');
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
