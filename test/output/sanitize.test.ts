// Unit tests of the one sanitizer and of every terminal renderer fed crafted data (issue 11, finding 1):
// OSC 52 (clipboard), OSC 0 (title), CSI cursor moves, BEL, the 8-bit CSI U+009B, U+202E and U+200B in
// every field that reaches a terminal. None of them may come out raw; JSON must still mean the same data.
import { describe, expect, it } from 'vitest';
import { checkCode, type VaultContent } from '../../src/domain/index.js';
import { contentToCsv } from '../../src/output/csv.js';
import { terminalJson, terminalText } from '../../src/output/sanitize.js';
import { renderSheet } from '../../src/output/sheet.js';
import { checkJson, listEntries, renderCheck, renderCode, renderJson, renderList, renderShow, showJson } from '../../src/output/text.js';
import { account, batch, code, vaultOf } from '../domain/support.js';

/** Every kind of sequence a hostile file tried, each marked so a test can tell where it came from. */
export const HOSTILE = {
  osc52: '\u001b]52;c;ZWNobyBwd25lZA==\u0007',
  title: '\u001b]0;owned\u0007',
  cursor: '\u001b[2A\u001b[2K',
  bel: '\u0007',
  c1: '\u009b2J',
  rlo: '\u202e',
  zwsp: '\u200b',
  lsep: '\u2028',
  del: '\u007f',
} as const;

const ALL = Object.values(HOSTILE).join('');
/** Any character that must never reach a terminal raw (what the sanitizer rewrites). */
export const RAW_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

const FIRST = '2026-06-01T00:00:00.000Z';
const SPENT = '2026-10-20T14:05:00.000Z';

function hostileVault(): VaultContent {
  return vaultOf(
    account('acc-1', `git${ALL}hub`, [batch('bbbb2222-0000', FIRST, [code(`1111${HOSTILE.osc52}`, SPENT), `2222${HOSTILE.cursor}`, `3333${HOSTILE.c1}`, `4444${HOSTILE.rlo}`, '5555 6666'])], {
      service: `Git${HOSTILE.title}Hub`,
      username: `me${HOSTILE.zwsp}@x${HOSTILE.bel}`,
      note: `note${HOSTILE.lsep}${HOSTILE.del}`,
    }),
  );
}

describe('terminalText', () => {
  it('writes each control, format and separator character as <U+XXXX>', () => {
    expect(terminalText(HOSTILE.osc52)).toBe('<U+001B>]52;c;ZWNobyBwd25lZA==<U+0007>');
    expect(terminalText(HOSTILE.c1)).toBe('<U+009B>2J');
    expect(terminalText('a\u202eb\u2066c\u200bd\ufeffe\u2028f\u2029g\u007fh\u00adi')).toBe(
      'a<U+202E>b<U+2066>c<U+200B>d<U+FEFF>e<U+2028>f<U+2029>g<U+007F>h<U+00AD>i',
    );
    expect(terminalText('tab\there\nnewline')).toBe('tab<U+0009>here<U+000A>newline');
    expect(terminalText('\ud800')).toBe('<U+D800>');
  });

  it('leaves printable text alone, in any script', () => {
    for (const text of ['github:work', '1234 5678', 'Zürich Bank & Trust', 'Ελληνικά', 'שלום', '日本語', '😀']) expect(terminalText(text)).toBe(text);
  });
});

describe('terminalJson', () => {
  it('escapes them as \\uXXXX, so the JSON means the same data and keeps its layout', () => {
    const value = { name: `a${ALL}b`, list: [1, 2] };
    const json = terminalJson(JSON.stringify(value, null, 2));
    expect(json).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}](?<![\n])/u);
    expect(json).toContain('\n  "list"');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('every renderer, fed crafted data', () => {
  const vault = hostileVault();
  const github = vault.accounts[0]!;

  it('list, show, show --all, check and use print no raw control or format character', () => {
    const outputs = [
      renderList(listEntries(vault)),
      renderShow(github, false),
      renderShow(github, true),
      renderCheck(checkCode(vault, '5555 6666')),
      renderCode(`1111${HOSTILE.osc52}`),
    ];
    outputs.forEach((output, i) => expect(`${i}: ${output.replace(/\n/g, '')}`).not.toMatch(RAW_CONTROL));
    expect(renderShow(github, false)).toContain('git<U+001B>]52;c;');
    expect(renderShow(github, false)).toContain('(Git<U+001B>]0;owned<U+0007>Hub)');
    expect(renderShow(github, false)).toContain('user me<U+200B>@x<U+0007>');
    expect(renderShow(github, false)).toContain('3333<U+009B>2J');
    expect(renderCheck(checkCode(vault, '5555 6666'))).toContain('unspent: a code of git<U+001B>]52;');
    expect(renderCode(`1111${HOSTILE.osc52}`)).toBe('1111<U+001B>]52;c;ZWNobyBwd25lZA==<U+0007>\n');
  });

  it('--json output holds no raw control character and parses back to the same data', () => {
    const outputs = [renderJson(listEntries(vault)), renderJson(showJson(github, true)), renderJson(checkJson(checkCode(vault, '5555 6666')))];
    for (const output of outputs) expect(output.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(renderJson(showJson(github, false))).name).toBe(github.name);
  });

  it('the text sheet and the HTML sheet print none either', () => {
    for (const format of ['text', 'html'] as const) {
      const sheet = renderSheet([github], { format, printedAt: '2026-11-26 09:41 UTC', includeSuperseded: true });
      expect(sheet.replace(/[\n\f]/g, '')).not.toMatch(RAW_CONTROL);
    }
  });

  it('the CSV export, which may go to a terminal too, prints none either', () => {
    expect(contentToCsv(vault).replace(/\r\n/g, '')).not.toMatch(RAW_CONTROL);
  });
});

// Issue 11, finding 7: a spreadsheet runs a cell starting with = + - @ as a formula, in any column.
describe('the CSV export against formula injection', () => {
  it('quotes every cell that starts like a formula: code, batch id and the user columns alike', () => {
    const vault = vaultOf(
      account('acc-1', '=cmd|calc', [batch('=HYPERLINK("http://x")', FIRST, ['=HYPERLINK("http://evil","x")', '+1234', '-5678', '@SUM(A1)', '1111 2222'])], {
        service: '+svc',
        username: '@me',
        note: '-note',
      }),
    );
    const rows = contentToCsv(vault).trimEnd().split('\r\n').slice(1);
    expect(rows).toHaveLength(5);
    const cells = rows.map((row) => row.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((cell) => cell.replace(/,$/, '')));
    for (const row of cells) {
      for (const cell of row) {
        const value = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
        expect(value).not.toMatch(/^[=+\-@]/);
      }
    }
    expect(rows[0]).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(rows[0]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(rows[1]).toContain(",'+1234,");
    expect(rows[4]).toContain(',1111 2222,');
  });
});
