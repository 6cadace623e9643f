import { qrSvg, QrTooLongError } from './qr.js';
import { terminalText } from './sanitize.js';
import type { SheetCode, SheetPage } from './sheet-pages.js';

/**
 * The paper sheet as one self-contained HTML page for the browser's print dialog. It fetches nothing: a
 * Content-Security-Policy of `default-src 'none'` forbids it, the style is inline and the QR code is an
 * inline SVG. The print CSS fits A4 and US Letter alike (15 mm margins, content at most 180 mm wide,
 * no fixed page size), one batch per page.
 */

/** Printed content width: A4 (210 mm) less two 15 mm margins; US Letter is 6 mm wider. */
const CONTENT_WIDTH = '180mm';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
@page { margin: 15mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: #1a1a1a; background: #fff;
  font: 10.5pt/1.45 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
}
.sheet { width: 100%; max-width: ${CONTENT_WIDTH}; margin: 0 auto; break-after: page; }
.sheet:last-child { break-after: auto; }
.banner {
  border: 1.2mm solid #000; padding: 3mm 6mm 3.5mm; margin-bottom: 6mm; text-align: center;
}
.banner strong { display: block; font-size: 36pt; line-height: 1.05; letter-spacing: 0.12em; font-weight: 800; }
.banner span { display: block; margin-top: 1mm; font-size: 11pt; }
.kicker {
  margin: 0; font-size: 8.5pt; letter-spacing: 0.16em; text-transform: uppercase; color: #555;
  display: flex; justify-content: space-between; border-bottom: 0.3mm solid #1a1a1a; padding-bottom: 1.5mm;
}
h1 { margin: 5mm 0 1mm; font-size: 24pt; line-height: 1.15; font-weight: 700; overflow-wrap: anywhere; }
.who { margin: 0; color: #333; font-size: 11.5pt; overflow-wrap: anywhere; }
.who span + span::before { content: "\\00B7"; margin: 0 2.5mm; color: #999; }
.facts { display: flex; margin: 5mm 0 5mm; border: 0.3mm solid #bbb; border-radius: 1.5mm; }
.facts div { flex: 1 1 0; padding: 2mm 3.5mm; }
.facts div + div { border-left: 0.3mm solid #bbb; }
.facts dt { font-size: 7.5pt; letter-spacing: 0.12em; text-transform: uppercase; color: #666; }
.facts dd { margin: 0.5mm 0 0; font-size: 11pt; }
.mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace; }
.codes {
  list-style: none; margin: 0; padding: 0; display: grid; grid-auto-flow: column; column-gap: 10mm;
}
.codes li {
  display: flex; align-items: center; gap: 3.5mm; padding: 2.1mm 1mm; border-bottom: 0.25mm solid #d6d6d6;
  break-inside: avoid;
}
.box { flex: none; width: 5mm; height: 5mm; border: 0.45mm solid #1a1a1a; border-radius: 0.6mm; display: block; }
.box svg { display: block; width: 100%; height: 100%; }
.n { flex: none; width: 6mm; text-align: right; color: #888; font-size: 9pt; font-variant-numeric: tabular-nums; }
.code { font-size: 14pt; letter-spacing: 0.04em; overflow-wrap: anywhere; }
.codes.long li { padding: 1.3mm 1mm; }
.codes.long .code { font-size: 12pt; letter-spacing: 0.02em; }
.codes.very-long .code { font-size: 10pt; letter-spacing: 0; }
h1.long { font-size: 17pt; }
.spent .code { text-decoration: line-through; text-decoration-thickness: 0.35mm; color: #8a8a8a; }
.spent .used { font-size: 8pt; letter-spacing: 0.1em; text-transform: uppercase; color: #8a8a8a; }
.after { display: flex; gap: 8mm; align-items: flex-start; margin-top: 7mm; break-inside: avoid; }
.instructions { flex: 1 1 auto; margin: 0; padding: 4mm 5mm; background: #f3f3f1; border-radius: 1.5mm; }
.instructions p { margin: 0; font-size: 11.5pt; }
.instructions p + p { margin-top: 2mm; }
.instructions .note { margin-top: 4mm; font-size: 9pt; color: #555; }
.qr { flex: none; width: 46mm; margin: 0; text-align: center; }
.qr svg { display: block; width: 44mm; height: 44mm; }
.qr figcaption { font-size: 8pt; line-height: 1.35; color: #555; }
footer {
  margin-top: 6mm; padding-top: 2mm; border-top: 0.2mm solid #bbb; font-size: 8pt; color: #666;
  display: flex; justify-content: space-between;
}
.superseded .codes, .superseded h1, .superseded .who { color: #666; }
@media screen {
  body { background: #e8e8e4; padding: 10mm 0; }
  .sheet { background: #fff; padding: 15mm; margin: 0 auto 10mm; max-width: 210mm; box-shadow: 0 1mm 4mm rgba(0,0,0,.15); }
}
`;

/** A tick for the box of a spent code, drawn inline so that the page loads nothing. */
const TICK =
  '<svg viewBox="0 0 10 10" aria-hidden="true"><path d="M2 5.3 4.3 7.6 8.3 2.6" fill="none" stroke="#1a1a1a"' +
  ' stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';

/** An account name longer than this many characters is set in smaller type. */
const LONG_NAME = 40;

/** Renders the pages as one HTML document. */
export function renderHtmlSheet(pages: readonly SheetPage[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Two-factor backup codes</title>',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...pages.map(htmlPage),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function htmlPage(page: SheetPage): string {
  const who = [page.service, page.username].filter((part): part is string => part !== null && part !== '');
  const total = page.codes.length;
  const facts: [string, string][] = [
    ['Batch', `<span class="mono">${escapeHtml(page.fingerprint)}</span>`],
    ['Added', escapeHtml(page.addedOn)],
    page.supersededOn !== null ? ['Replaced', escapeHtml(page.supersededOn)] : ['Printed', escapeHtml(page.printedOn)],
    ['Unused', `${page.unspent.length} of ${total}`],
  ];
  return [
    `<section class="sheet${page.superseded ? ' superseded' : ''}">`,
    page.superseded ? banner(page) : '',
    `<p class="kicker"><span>Two-factor backup codes</span><span>lifeboat</span></p>`,
    // A long name or long codes get smaller type, so that ten of them still fit on one page (issue 9).
    `<h1${[...page.accountName].length > LONG_NAME ? ' class="long"' : ''}>${data(page.accountName)}</h1>`,
    who.length > 0 ? `<p class="who">${who.map((part) => `<span>${data(part)}</span>`).join('')}</p>` : '',
    `<dl class="facts">${facts.map(([term, value]) => `<div><dt>${term}</dt><dd>${value}</dd></div>`).join('')}</dl>`,
    codeList(page.codes),
    '<div class="after">',
    '<div class="instructions">',
    // A superseded batch's codes no longer work: nothing to cross off (issue 9).
    ...(page.superseded
      ? ['<p>These codes no longer work: do not use them.</p>', '<p>Keep this sheet as a record only, or destroy it.</p>']
      : ['<p>Cross a code off when you use it.</p>', '<p>Destroy this sheet when you generate new codes.</p>']),
    `<p class="note">Each code works once. Keep this sheet somewhere safe: anyone who holds it and your password can sign in.</p>`,
    '</div>',
    page.superseded ? '' : qrFigure(page.unspent),
    '</div>',
    `<footer><span>Printed ${escapeHtml(page.printedAt)}</span><span>Batch <span class="mono">${escapeHtml(page.fingerprint)}</span></span></footer>`,
    '</section>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function banner(page: SheetPage): string {
  const when = page.supersededOn === null ? 'were replaced by a newer batch' : `were replaced on ${escapeHtml(page.supersededOn)}`;
  return `<div class="banner"><strong>SUPERSEDED</strong><span>These codes ${when} and no longer work. Do not use them.</span></div>`;
}

/** The codes in a grid, numbered down the first column and then the next. */
function codeList(codes: readonly SheetCode[]): string {
  const longest = Math.max(0, ...codes.map((code) => [...code.code].length));
  const columns = longest > 24 ? 1 : longest <= 12 && codes.length > 20 ? 3 : 2;
  const size = longest > 48 ? ' long very-long' : longest > 24 ? ' long' : '';
  const rows = Math.max(1, Math.ceil(codes.length / columns));
  const items = codes.map((code) => {
    const used = code.spent ? ' <span class="used">used</span>' : '';
    return (
      `<li${code.spent ? ' class="spent"' : ''}><span class="box">${code.spent ? TICK : ''}</span>` +
      `<span class="n">${code.number}</span><span class="code mono">${data(code.code)}</span>${used}</li>`
    );
  });
  return (
    `<ol class="codes${size}" style="grid-template-columns: repeat(${columns}, minmax(0, 1fr)); grid-template-rows: repeat(${rows}, auto)">` +
    `\n${items.join('\n')}\n</ol>`
  );
}

/** The QR code of the unspent codes, one per line, for a phone to read them back; a note when none fits. */
function qrFigure(unspent: readonly string[]): string {
  if (unspent.length === 0) return '';
  let svg: string;
  try {
    svg = qrSvg(unspent.join('\n'));
  } catch (error) {
    if (error instanceof QrTooLongError) return '';
    throw error;
  }
  const what = unspent.length === 1 ? 'the unused code' : `the ${unspent.length} unused codes`;
  return `<figure class="qr">${svg}<figcaption>Scan for ${what}, one per line</figcaption></figure>`;
}

/**
 * Text from the vault as element content: control and format characters made visible by the one
 * sanitizer, escaped, and isolated in `<bdi>` so that no right-to-left text in it can reorder the text
 * around it (HTML Living Standard, "The bdi element").
 */
function data(text: string): string {
  return `<bdi>${escapeHtml(terminalText(text))}</bdi>`;
}

/** Text for HTML element content and quoted attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
