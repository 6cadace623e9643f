import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * The real-browser pipeline for testing printed output (docs: DEPENDENCIES.md section 7): HTML is printed
 * to PDF by headless Chromium, then read back with poppler (pdftotext, pdfinfo, pdftoppm) and zbar
 * (zbarimg), the way a person's printer and phone would see it.
 */

const run = promisify(execFile);

/** An external program this pipeline uses. */
export type Tool = 'chromium' | 'pdftotext' | 'pdftoppm' | 'pdfinfo' | 'zbarimg';

/** The names each tool goes by, first match on PATH wins. */
const COMMANDS: Readonly<Record<Tool, readonly string[]>> = {
  chromium: ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'],
  pdftotext: ['pdftotext'],
  pdftoppm: ['pdftoppm'],
  pdfinfo: ['pdfinfo'],
  zbarimg: ['zbarimg'],
};

/** The Debian package that brings each tool. */
const PACKAGES: Readonly<Record<Tool, string>> = {
  chromium: 'chromium',
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  zbarimg: 'zbar-tools',
};

/** Where each tool is on PATH, or null when it is missing. */
export function tools(): Record<Tool, string | null> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  const find = (names: readonly string[]): string | null => {
    for (const name of names) {
      for (const dir of dirs) {
        const path = join(dir, name);
        try {
          accessSync(path, constants.X_OK);
          return path;
        } catch {
          // not here; keep looking
        }
      }
    }
    return null;
  };
  return {
    chromium: find(COMMANDS.chromium),
    pdftotext: find(COMMANDS.pdftotext),
    pdftoppm: find(COMMANDS.pdftoppm),
    pdfinfo: find(COMMANDS.pdfinfo),
    zbarimg: find(COMMANDS.zbarimg),
  };
}

/**
 * The one policy for tests that need external tools: whether to run them. When a tool is missing the
 * tests are skipped with the reason printed, except on CI (`CI=true`), where a missing tool must not
 * pass silently: there this throws, which fails the test file.
 */
export function requireTools(names: readonly Tool[]): boolean {
  const found = tools();
  const missing = names.filter((name) => found[name] === null);
  if (missing.length === 0) return true;
  const packages = [...new Set(missing.map((name) => PACKAGES[name]))].join(' ');
  const reason = `missing ${missing.join(', ')} (apt-get install ${packages})`;
  if (process.env.CI === 'true') throw new Error(`cannot run the browser tests on CI: ${reason}`);
  console.warn(`skipping browser tests: ${reason}`);
  return false;
}

/** A printed PDF and what was read back from it; `dispose` removes the files. */
export interface RenderedPdf {
  readonly pdfPath: string;
  /** The page count that pdfinfo reports. */
  readonly pages: number;
  /** The text that pdftotext extracts, pages separated by form feeds. */
  readonly text: string;
  /** One PNG per page at 150 dpi (pdftoppm), in page order. */
  readonly pngs: readonly string[];
  dispose(): Promise<void>;
}

function need(tool: Tool): string {
  const path = tools()[tool];
  if (path === null) throw new Error(`${tool} is not installed (apt-get install ${PACKAGES[tool]})`);
  return path;
}

/**
 * Prints `html` to PDF with headless Chromium from a file:// URL in a fresh temporary directory, with a
 * fresh profile that is removed once Chromium exits, then reads the PDF back.
 */
export async function renderHtmlToPdf(html: string): Promise<RenderedPdf> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-sheet-'));
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const htmlPath = join(dir, 'sheet.html');
    const pdfPath = join(dir, 'sheet.pdf');
    await writeFile(htmlPath, html, { mode: 0o600 });
    const profile = await mkdtemp(join(tmpdir(), 'lifeboat-chromium-'));
    try {
      await run(
        need('chromium'),
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-pdf-header-footer',
          `--user-data-dir=${profile}`,
          `--print-to-pdf=${pdfPath}`,
          pathToFileURL(htmlPath).href,
        ],
        { timeout: 60_000, killSignal: 'SIGKILL' },
      );
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
    const info = await run(need('pdfinfo'), [pdfPath]);
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(info.stdout)?.[1] ?? Number.NaN);
    const text = (await run(need('pdftotext'), ['-layout', pdfPath, '-'])).stdout;
    await run(need('pdftoppm'), ['-r', '150', '-png', pdfPath, join(dir, 'page')]);
    // pdftoppm pads the page number to the width of the page count: page-1.png or page-01.png.
    const pngs = readdirSync(dir)
      .filter((name) => /^page-\d+\.png$/.test(name))
      .sort((a, b) => pageNumber(a) - pageNumber(b))
      .map((name) => join(dir, name));
    return { pdfPath, pages, text, pngs, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

function pageNumber(name: string): number {
  return Number(/(\d+)\.png$/.exec(name)?.[1] ?? Number.NaN);
}

/**
 * The text of every QR code zbarimg finds in an image, in the order it reports them; empty when none.
 * Texts are read as UTF-8, which is how lifeboat encodes them.
 */
export function decodeQr(image: string): string[] {
  const zbarimg = (args: readonly string[]): Buffer | null => {
    try {
      return execFileSync(need('zbarimg'), ['--quiet', ...args, image], { stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (error) {
      // Exit status 4 means the image holds no symbol.
      if ((error as { status?: unknown }).status === 4) return null;
      throw error;
    }
  };
  const xml = zbarimg(['--xml'])?.toString('utf8') ?? '';
  const symbols = [...xml.matchAll(/<symbol type='QR-Code'[^>]*>[\s\S]*?<data([^>]*)>([\s\S]*?)<\/data>/g)];
  // zbarimg 0.23 guesses a character set, and its XML garbles non-ASCII data it calls binary (its
  // base64 sign-extends bytes), so a single symbol is read again as the bytes themselves.
  if (symbols.length === 1) return [(zbarimg(['--raw', '-Sbinary']) ?? Buffer.alloc(0)).toString('utf8')];
  return symbols.map((symbol) => {
    if (/format='base64'/.test(symbol[1] ?? '')) throw new Error('several QR codes with binary data in one image');
    // Data holding `]]>` comes split over several CDATA sections.
    return [...(symbol[2] ?? '').matchAll(/<!\[CDATA\[([\s\S]*?)\]\]>/g)].map((part) => part[1] ?? '').join('');
  });
}

/**
 * Writes a black-and-white picture as a binary PGM image that zbarimg reads, each cell `scale` pixels
 * square; true is black.
 */
export function writePgm(path: string, cells: readonly (readonly boolean[])[], scale: number): void {
  const height = cells.length * scale;
  const width = Math.max(0, ...cells.map((row) => row.length)) * scale;
  const pixels = Buffer.alloc(width * height, 255);
  cells.forEach((row, r) =>
    row.forEach((black, c) => {
      if (!black) return;
      for (let y = 0; y < scale; y++) pixels.fill(0, (r * scale + y) * width + c * scale, (r * scale + y) * width + (c + 1) * scale);
    }),
  );
  writeFileSync(path, Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii'), pixels]));
}
