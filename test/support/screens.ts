import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { tools } from './chromium.js';

/**
 * Code screens as services show them, rendered by headless Chromium and saved as PNG screenshots, for
 * the OCR tests of `lifeboat add --image` (issue 10, "Screenshots"). Every code here is invented.
 */

const run = promisify(execFile);

/** A rendered screen: the PNG's path, the codes on it, and a way to remove the files. */
export interface Screen {
  readonly dir: string;
  readonly png: string;
  readonly codes: readonly string[];
  dispose(): Promise<void>;
}

const PAGE = (width: number, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:'DejaVu Sans',sans-serif;background:#fff;margin:0;padding:24px;width:${width}px">${body}</body></html>`;

/** Instagram's "Backup codes" screen: five 8-digit codes, shown as two groups of four. */
export function instagramScreen(codes: readonly string[]): string {
  return PAGE(
    360,
    `<h2 style="font-size:20px;color:#262626">Backup codes</h2>
<p style="font-size:14px;color:#737373">Keep these backup codes somewhere safe but accessible.</p>
<div style="font-size:16px;line-height:1.9;color:#262626">${codes.map((code) => `<div>${code}</div>`).join('')}</div>
<p style="font-size:14px;color:#0095f6">Get new codes</p>`,
  );
}

/** Google's backup-codes page: ten numbered `1234 5678` codes in two columns of five. */
export function googleScreen(codes: readonly string[]): string {
  const column = (from: number): string =>
    codes
      .slice(from, from + 5)
      .map((code, i) => `<div>${from + i + 1}. ${code}</div>`)
      .join('');
  return PAGE(
    460,
    `<h2 style="font-size:20px;color:#202124">Backup codes</h2>
<p style="font-size:14px;color:#5f6368">Keep these backup codes somewhere safe. Each code can be used once.</p>
<table style="font-family:'DejaVu Sans Mono',monospace;font-size:16px;line-height:1.8;color:#202124"><tr>
<td style="padding-right:60px">${column(0)}</td><td>${column(5)}</td></tr></table>`,
  );
}

/** GitHub's recovery-codes page: sixteen `xxxxx-xxxxx` hex codes in two columns. */
export function githubScreen(codes: readonly string[]): string {
  return PAGE(
    520,
    `<h2 style="font-size:20px;color:#1f2328">Recovery codes</h2>
<p style="font-size:14px;color:#1f2328">Keep your recovery codes in a safe spot.</p>
<ul style="font-family:'DejaVu Sans Mono',monospace;font-size:15px;line-height:1.7;columns:2;list-style:none;padding:0;color:#1f2328">
${codes.map((code) => `<li>${code}</li>`).join('')}</ul>`,
  );
}

/** Screenshots `html` at the given window size with headless Chromium (a fresh profile each time). */
export async function screenshot(html: string, codes: readonly string[], width: number, height: number): Promise<Screen> {
  const chromium = tools().chromium;
  if (!chromium) throw new Error('chromium is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-screen-'));
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  const page = join(dir, 'screen.html');
  const png = join(dir, 'screen.png');
  await writeFile(page, html, { mode: 0o600 });
  try {
    await run(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--hide-scrollbars',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--window-size=${width},${height}`,
        `--screenshot=${png}`,
        pathToFileURL(page).href,
      ],
      { timeout: 60_000, killSignal: 'SIGKILL' },
    );
  } catch (error) {
    await dispose();
    throw error;
  }
  return { dir, png, codes, dispose };
}

/**
 * A photo-like copy of a screenshot made with ImageMagick: scaled down, turned by a degree or two,
 * slightly blurred, saved as JPEG.
 */
export async function photoOf(screen: Screen, degrees: number): Promise<string> {
  const photo = join(screen.dir, `photo-${degrees}.jpg`);
  await run('convert', [screen.png, '-resize', '70%', '-background', 'white', '-rotate', String(degrees), '-blur', '0x0.6', '-quality', '85', photo]);
  return photo;
}
