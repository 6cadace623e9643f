import { copyFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Account, Code } from '../../src/domain/index.js';
import { renderSheet } from '../../src/output/sheet.js';
import { renderHtmlToPdf } from './chromium.js';

/**
 * Invented accounts for the browser test and for the picture of the sheet in the README (docs/sheet.png),
 * so that the picture shows exactly what the test checks. None of these codes was ever real.
 *
 * Regenerate the picture with `LIFEBOAT_SHEET_PNG=docs/sheet.png npx vitest run test/output/sheet-render`.
 */

/** When the demo sheet is printed. */
export const DEMO_PRINTED_AT = '2026-11-26T09:41:00.000Z';

function codes(values: readonly string[], spent: readonly number[], spentAt: string): Code[] {
  return values.map((code, index) => ({ code, spentAt: spent.includes(index + 1) ? spentAt : null }));
}

/**
 * Two accounts: `github:work` with an active batch of 16 codes (3 spent) and a superseded one, and an
 * account whose name and service need escaping in HTML, with 10 numeric codes.
 */
export function demoAccounts(): Account[] {
  return [
    {
      id: '1b9319240d60752886aae7e8de4459a0',
      name: 'github:work',
      service: 'GitHub',
      username: 'ada.lovelace@example.com',
      note: null,
      createdAt: '2026-03-02T10:15:00.000Z',
      batches: [
        {
          id: '038659f09d949903a9da67428cb550b0',
          addedAt: '2026-03-02T10:15:00.000Z',
          source: 'file:github-recovery-codes.txt',
          supersededAt: '2026-11-20T16:02:00.000Z',
          printedAt: '2026-03-02T10:20:00.000Z',
          copiedAt: null,
          codes: codes(
            ['d1e16-bcfe3', '715e7-b60b6', 'a4bff-a3e80', '2c82e-8b07f', '6c58f-5baa1', '01f86-735dc', '29a88-6bf78', 'ca2b6-f6e3c',
              '67276-6bc23', '9cb1e-3e56e', '7bffa-14820', 'da4c5-e07b6', 'aa8e0-094a5', '508e3-1919d', 'ad6c8-bad53', 'b7001-4de96'],
            [1, 2, 3, 4, 5],
            '2026-06-11T08:00:00.000Z',
          ),
        },
        {
          id: '9663f1e1675ab357c8a1f23d1af02bdf',
          addedAt: '2026-11-20T16:02:00.000Z',
          source: 'file:github-recovery-codes.txt',
          supersededAt: null,
          printedAt: null,
          copiedAt: null,
          codes: codes(
            ['d9f63-447c6', '37161-76c06', 'f63df-aad03', 'bcbcb-fa6fd', '62c29-bc998', 'dc5e9-3b6fe', '593b3-328e5', '1d785-96526',
              'ad4fe-00b61', '8de42-efccf', 'c8138-70dbb', '7982b-31563', 'a2eb9-25864', '3daf9-9ca8f', '3b2b6-36aa8', '7dd54-3cca6'],
            [1, 2, 5],
            '2026-11-24T12:30:00.000Z',
          ),
        },
      ],
    },
    {
      id: 'c20c9d4e47cc8a677a53b636c839b0f8',
      name: 'bank <ops> & "co"',
      service: 'Zürich Bank & Trust',
      username: null,
      note: null,
      createdAt: '2026-05-14T07:00:00.000Z',
      batches: [
        {
          id: '6ddb4005a3c5b306ff5ca2f74fed5e04',
          addedAt: '2026-05-14T07:00:00.000Z',
          source: 'typed',
          supersededAt: null,
          printedAt: null,
          copiedAt: null,
          codes: codes(
            ['66856102', '16945980', '48574742', '88931427', '89312185', '88775083', '26715925', '37255725', '80487409', '25740874'],
            [4],
            '2026-09-01T19:45:00.000Z',
          ),
        },
      ],
    },
  ];
}

/** Renders the first page of the demo sheet through the browser pipeline and copies its PNG to `outPath`. */
export async function makeSheetPng(outPath: string): Promise<void> {
  const [github] = demoAccounts();
  if (!github) throw new Error('no demo account');
  const html = renderSheet([github], { format: 'html', printedAt: DEMO_PRINTED_AT, includeSuperseded: false });
  const rendered = await renderHtmlToPdf(html);
  try {
    const [png] = rendered.pngs;
    if (!png) throw new Error('the PDF has no page');
    await mkdir(dirname(outPath), { recursive: true });
    await copyFile(png, outPath);
  } finally {
    await rendered.dispose();
  }
}
