import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { activeBatch } from '../../src/domain/index.js';
import { renderSheet } from '../../src/output/sheet.js';
import { decodeQr, renderHtmlToPdf, requireTools, type RenderedPdf } from '../support/chromium.js';
import { DEMO_PRINTED_AT, demoAccounts, makeSheetPng } from '../support/make-sheet-png.js';

// The sheet as a person gets it: printed by a real browser, read back from the PDF, its QR code
// scanned from a 150 dpi picture of the page.

const run = requireTools(['chromium', 'pdftotext', 'pdftoppm', 'pdfinfo', 'zbarimg']);
const accounts = demoAccounts();

function unspentOf(index: number): string[] {
  const account = accounts[index];
  const batch = account && activeBatch(account);
  if (!batch) throw new Error('demo account without an active batch');
  return batch.codes.filter((code) => code.spentAt === null).map((code) => code.code);
}

/** The sheet with its page size forced to A4; without it Chromium prints on US Letter. */
function onA4(html: string): string {
  return html.replace('</style>', '@page { size: A4; }\n</style>');
}

describe.runIf(run)('the HTML sheet printed by headless Chromium', () => {
  const printed: { letter?: RenderedPdf; a4?: RenderedPdf; superseded?: RenderedPdf } = {};
  const get = (which: keyof typeof printed): RenderedPdf => {
    const pdf = printed[which];
    if (!pdf) throw new Error(`${which} not printed`);
    return pdf;
  };

  beforeAll(async () => {
    const sheet = renderSheet(accounts, { format: 'html', printedAt: DEMO_PRINTED_AT, includeSuperseded: false });
    const withOld = renderSheet(accounts.slice(0, 1), { format: 'html', printedAt: DEMO_PRINTED_AT, includeSuperseded: true });
    [printed.letter, printed.a4, printed.superseded] = await Promise.all([
      renderHtmlToPdf(sheet),
      renderHtmlToPdf(onA4(sheet)),
      renderHtmlToPdf(withOld),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(Object.values(printed).map((pdf) => pdf.dispose()));
  });

  test('has one page per account on US Letter and on A4', () => {
    expect(get('letter').pages).toBe(2);
    expect(get('letter').pngs).toHaveLength(2);
    expect(get('a4').pages).toBe(2);
  });

  test('shows each account name and every unspent code', () => {
    for (const pdf of [get('letter'), get('a4')]) {
      const pages = pdf.text.split('\f');
      expect(pages[0]).toContain('github:work');
      expect(pages[1]).toContain('bank <ops> & "co"');
      expect(pages[1]).toContain('Zürich Bank & Trust');
      for (const code of unspentOf(0)) expect(pages[0]).toContain(code);
      for (const code of unspentOf(1)) expect(pages[1]).toContain(code);
      expect(pdf.text).toContain('Destroy this sheet when you generate new codes.');
    }
  });

  test('has a QR code on each page that scans back to exactly the unspent codes', () => {
    const [first, second] = get('letter').pngs;
    expect(decodeQr(first ?? '')).toEqual([unspentOf(0).join('\n')]);
    expect(decodeQr(second ?? '')).toEqual([unspentOf(1).join('\n')]);
  });

  test('prints a superseded batch on a page of its own, under a banner and without a QR code', () => {
    const pdf = get('superseded');
    expect(pdf.pages).toBe(2);
    const [current, old] = pdf.text.split('\f');
    expect(current).not.toContain('SUPERSEDED');
    expect(old).toContain('SUPERSEDED');
    expect(old).toContain('replaced on 2026-11-20');
    expect(decodeQr(pdf.pngs[0] ?? '')).toEqual([unspentOf(0).join('\n')]);
    expect(decodeQr(pdf.pngs[1] ?? '')).toEqual([]);
  });

  // The README's picture (docs/sheet.png) comes from this pipeline: the test renders it to a temp file and
  // scans it; `LIFEBOAT_SHEET_PNG=docs/sheet.png npx vitest run test/output/sheet-render` writes it anew.
  test('the demo picture renders, and its QR code scans back to the unspent codes', async () => {
    const out = process.env.LIFEBOAT_SHEET_PNG ?? join(mkdtempSync(join(tmpdir(), 'lifeboat-sheet-')), 'sheet.png');
    await makeSheetPng(out);
    expect(statSync(out).size).toBeGreaterThan(10_000);
    expect(decodeQr(out)).toEqual([unspentOf(0).join('\n')]);
  });
});
