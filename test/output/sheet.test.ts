import { describe, expect, test } from 'vitest';
import { activeBatch, batchFingerprint, type Account, type Batch } from '../../src/domain/index.js';
import { qrSvg } from '../../src/output/qr.js';
import { renderSheet, type SheetOptions } from '../../src/output/sheet.js';
import { DEMO_PRINTED_AT, demoAccounts } from '../support/make-sheet-png.js';

const PRINTED_AT = '2026-11-26T09:41:00.000Z';
const text = (accounts: readonly Account[], options: Partial<SheetOptions> = {}): string =>
  renderSheet(accounts, { format: 'text', printedAt: PRINTED_AT, includeSuperseded: false, ...options });
const html = (accounts: readonly Account[], options: Partial<SheetOptions> = {}): string =>
  renderSheet(accounts, { format: 'html', printedAt: PRINTED_AT, includeSuperseded: false, ...options });

function batch(id: string, codes: readonly string[], spent: readonly number[] = [], supersededAt: string | null = null): Batch {
  return {
    id,
    addedAt: '2026-05-01T12:00:00.000Z',
    source: 'typed',
    supersededAt,
    printedAt: null,
    copiedAt: null,
    codes: codes.map((code, index) => ({ code, spentAt: spent.includes(index + 1) ? '2026-06-01T12:00:00.000Z' : null })),
  };
}

function account(name: string, batches: readonly Batch[], extra: Partial<Account> = {}): Account {
  return { id: `id-${name}`, name, service: null, username: null, note: null, createdAt: '2026-05-01T12:00:00.000Z', batches, ...extra };
}

const [github, bank] = demoAccounts();
if (!github || !bank) throw new Error('demo accounts missing');
const githubActive = activeBatch(github);
if (!githubActive) throw new Error('demo account without an active batch');

describe('the text sheet', () => {
  test('lays out a small batch exactly like this', () => {
    const small = account('mail', [batch('aaaabbbbcccc', ['1111 2222', '3333 4444', '5555 6666'], [2])], {
      service: 'Mail',
      username: 'ada',
    });
    expect(text([small])).toBe(
      [
        'TWO-FACTOR BACKUP CODES                                                 lifeboat',
        '='.repeat(80),
        '',
        '  Account   mail',
        '  Service   Mail',
        '  Username  ada',
        '  Batch     aaaa-bbbb, added 2026-05-01',
        '  Printed   2026-11-26 09:41 UTC',
        '  Left      2 of 3 codes unused',
        '',
        '  [ ] 1  1111 2222          [ ] 3  5555 6666',
        '',
        '  [X] 2  3333 4444  used',
        '',
        '-'.repeat(80),
        '  * Cross a code off when you use it.',
        '  * Destroy this sheet when you generate new codes.',
        '',
      ].join('\n'),
    );
  });

  test('shows the account, the batch, the print date, every code and the two instructions', () => {
    const sheet = text([github]);
    expect(sheet).toContain('Account   github:work');
    expect(sheet).toContain('Service   GitHub');
    expect(sheet).toContain('Username  ada.lovelace@example.com');
    expect(sheet).toContain(`Batch     ${batchFingerprint(githubActive)}, added 2026-11-20`);
    expect(sheet).toContain('Printed   2026-11-26 09:41 UTC');
    expect(sheet).toContain('Left      13 of 16 codes unused');
    for (const code of githubActive.codes) expect(sheet).toContain(code.code);
    expect(sheet).toContain('Cross a code off when you use it.');
    expect(sheet).toContain('Destroy this sheet when you generate new codes.');
  });

  test('ticks and marks the spent codes, and only them', () => {
    const sheet = text([github]);
    for (const code of githubActive.codes) {
      const cell = new RegExp(`\\[([ X])\\] +\\d+  ${code.code}( {2}used)?`).exec(sheet);
      expect(cell?.[1]).toBe(code.spentAt === null ? ' ' : 'X');
      expect(cell?.[2] !== undefined).toBe(code.spentAt !== null);
    }
    expect(sheet.match(/\[X\]/g)).toHaveLength(3);
  });

  test('fits 80 columns in plain ASCII, with a form feed between accounts', () => {
    const sheet = text(demoAccounts().slice(0, 1), { includeSuperseded: true }) + '\f' + text([bank]);
    const pages = sheet.split('\f');
    expect(pages).toHaveLength(3);
    for (const page of pages) {
      expect(page.endsWith('\n')).toBe(true);
      for (const line of page.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    }
    const ascii = text([github], { includeSuperseded: true });
    expect(ascii).toMatch(/^[\x20-\x7e\n\f]+$/);
  });

  test('starts each account on a new page', () => {
    const sheet = text([github, bank]);
    const pages = sheet.split('\f');
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('github:work');
    expect(pages[1]).toContain('Account   bank <ops> & "co"');
    expect(pages[1]).toContain('Service   Zürich Bank & Trust');
    expect(pages[1]).not.toContain('Username');
  });

  test('leaves superseded batches out unless asked, then prints them under a SUPERSEDED banner', () => {
    expect(text([github])).not.toMatch(/SUPERSEDED|####/);
    const pages = text([github], { includeSuperseded: true }).split('\f');
    expect(pages).toHaveLength(2);
    expect(pages[0]).not.toContain('SUPERSEDED');
    expect(pages[0]).toContain(batchFingerprint(githubActive));
    const old = pages[1] ?? '';
    expect(old).toContain('SUPERSEDED: these codes were replaced on 2026-11-20');
    expect(old).toContain('####  #   #  ####   #####  ####'); // the big letters
    expect(old.indexOf('SUPERSEDED')).toBeLessThan(old.indexOf('Account'));
    expect(old).toContain('Batch     0386-59f0, added 2026-03-02');
    expect(old).toContain('Replaced  2026-11-20');
  });

  test('prints an account without an active batch only with its superseded batches', () => {
    const retired = account('retired', [batch('dddd0000', ['aaaa-bbbb'], [], '2026-07-01T00:00:00.000Z')]);
    expect(text([retired, github]).split('\f')).toHaveLength(1);
    const pages = text([retired, github], { includeSuperseded: true }).split('\f');
    expect(pages).toHaveLength(3);
    expect(pages[0]).toContain('Account   retired');
    expect(pages[0]).toContain('replaced on 2026-07-01');
  });

  test('refuses to print nothing', () => {
    const retired = account('retired', [batch('dddd0000', ['aaaa-bbbb'], [], '2026-07-01T00:00:00.000Z')]);
    expect(() => text([])).toThrow('nothing to print');
    expect(() => text([retired])).toThrow('nothing to print: the accounts have no active codes');
    expect(() => text([account('empty', [])], { includeSuperseded: true })).toThrow('nothing to print: the accounts have no codes');
  });

  test('wraps long codes and values within 80 columns without losing a character', () => {
    const long = 'x1'.repeat(45);
    const wide = account('wide', [batch('eeee', [long, 'short'])], { username: `${'very-long-user-name '.repeat(6)}end` });
    const sheet = text([wide]);
    for (const line of sheet.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(sheet.replace(/\n {9}/g, '')).toContain(long);
    expect(sheet).toContain('[ ] 2  short');
    expect(sheet).toMatch(/Username {2}very-long-user-name[^\n]*\n {12}[^\n]*end/);
  });

  // Issue 11, finding 1: the one sanitizer, here as on the terminal.
  test('prints control, format and bidirectional characters from the vault as <U+XXXX>', () => {
    const odd = account('odd\u200b', [batch('ffff', ['12\u000c34'])], { username: 'a\u202eb\u001b[2Jc', service: 'line\u2028break' });
    const sheet = text([odd]);
    expect(sheet.split('\f')).toHaveLength(1);
    expect(sheet).toContain('Account   odd<U+200B>');
    expect(sheet).toContain('Username  a<U+202E>b<U+001B>[2Jc');
    expect(sheet).toContain('Service   line<U+2028>break');
    expect(sheet).toContain('12<U+000C>34');
  });
});

describe('the HTML sheet', () => {
  const page = html([github, bank]);

  test('forbids every fetch with a Content-Security-Policy', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1];
    expect(csp).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(csp?.startsWith("default-src 'none'")).toBe(true);
    expect(page.indexOf('Content-Security-Policy')).toBeLessThan(page.indexOf('<style>'));
  });

  test('refers to nothing outside itself', () => {
    const all = html([github, bank], { includeSuperseded: true });
    for (const match of all.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]*)/gi)) expect(match[1]).toMatch(/^data:/);
    for (const match of all.matchAll(/url\(\s*["']?([^"')]*)/gi)) expect(match[1]).toMatch(/^data:/);
    expect(all).not.toMatch(/<script|<link|<iframe|<object|<embed|@import/i);
  });

  test('escapes text from the vault', () => {
    expect(page).toContain('<h1><bdi>bank &#60;ops&#62; &#38; &#34;co&#34;</bdi></h1>');
    expect(page).toContain('Zürich Bank &#38; Trust');
    expect(page).not.toContain('<ops>');
    const hostile = account('</h1><script>alert(1)</script>', [batch('abcd', ['"><img src=x onerror=alert(1)>'])], {
      username: "'><svg onload=alert(1)>",
    });
    const escaped = html([hostile]);
    expect(escaped).not.toMatch(/<script|<img|<svg onload/);
    expect(escaped).toContain('&#60;/h1&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(escaped).toContain('&#34;&#62;&#60;img src=x onerror=alert(1)&#62;');
    expect(escaped).toContain('&#39;&#62;&#60;svg onload=alert(1)&#62;');
  });

  // Issue 11, finding 1: a name that reverses itself or hides a character cannot pass for another one.
  test('isolates text from the vault in <bdi> and shows control and format characters', () => {
    const spoof = account('github\u202e:krow', [batch('abcd', ['1234\u200b5678'])], { service: 'Git\u0007Hub', username: 'me\u2066x' });
    const page = html([spoof]);
    expect(page).toContain('<h1><bdi>github<U+202E>:krow</bdi></h1>'.replace('<U+202E>', '&#60;U+202E&#62;'));
    expect(page).toContain('<bdi>1234&#60;U+200B&#62;5678</bdi>');
    expect(page).toContain('<bdi>Git&#60;U+0007&#62;Hub</bdi>');
    expect(page).toContain('<bdi>me&#60;U+2066&#62;x</bdi>');
    expect(page).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
  });

  test('prints for A4 and US Letter alike, one account per page', () => {
    expect(page).toContain('@page { margin: 15mm; }');
    expect(page).not.toMatch(/@page[^}]*size/);
    expect(page).toContain('max-width: 180mm');
    expect(page).toMatch(/\.sheet \{[^}]*break-after: page/);
    expect(page.match(/<section class="sheet/g)).toHaveLength(2);
  });

  test('shows the account, the batch, the print date, every code with a tick box and the two instructions', () => {
    const first = page.slice(0, page.indexOf('</section>'));
    expect(first).toContain('<h1><bdi>github:work</bdi></h1>');
    expect(first).toContain('<span><bdi>GitHub</bdi></span><span><bdi>ada.lovelace@example.com</bdi></span>');
    expect(first).toContain(`<span class="mono">${batchFingerprint(githubActive)}</span>`);
    expect(first).toContain('<dd>2026-11-20</dd>');
    expect(first).toContain('Printed 2026-11-26 09:41 UTC');
    expect(first.match(/<span class="box">/g)).toHaveLength(16);
    for (const code of githubActive.codes) expect(first).toContain(`<span class="code mono"><bdi>${code.code}</bdi></span>`);
    expect(first).toContain('Cross a code off when you use it.');
    expect(first).toContain('Destroy this sheet when you generate new codes.');
  });

  test('strikes out the spent codes, and only them', () => {
    expect(page).toMatch(/\.spent \.code \{[^}]*text-decoration: line-through/);
    for (const code of githubActive.codes) {
      const item = new RegExp(`<li( class="spent")?><span class="box">[^\\n]*${code.code}`).exec(page);
      expect(item?.[1] !== undefined).toBe(code.spentAt !== null);
    }
  });

  test('has a QR code of the unspent codes, one per line, on each current page', () => {
    const unspent = githubActive.codes.filter((code) => code.spentAt === null).map((code) => code.code);
    expect(page).toContain(`<figure class="qr">${qrSvg(unspent.join('\n'))}<figcaption>Scan for the 13 unused codes`);
    expect(page.match(/<figure class="qr">/g)).toHaveLength(2);
  });

  test('leaves the QR code out when no code is left or the codes do not fit in one', () => {
    const used = account('used', [batch('abcd', ['1111', '2222'], [1, 2])]);
    expect(html([used])).not.toContain('<figure class="qr">');
    const huge = account('huge', [batch('abcd', Array.from({ length: 14 }, (_, index) => `${index}-${'z'.repeat(190)}`))]);
    const sheet = html([huge]);
    expect(sheet).not.toContain('<figure class="qr">');
    expect(sheet).toContain(`13-${'z'.repeat(190)}`);
  });

  test('leaves superseded batches out unless asked, then prints them under a SUPERSEDED banner without a QR code', () => {
    expect(page).not.toContain('SUPERSEDED');
    const withOld = html([github], { includeSuperseded: true });
    const sections = withOld.split('<section').slice(1);
    expect(sections).toHaveLength(2);
    expect(sections[0]).not.toContain('SUPERSEDED');
    expect(sections[1]).toMatch(/^ class="sheet superseded">\n<div class="banner"><strong>SUPERSEDED<\/strong>/);
    expect(sections[1]).toContain('These codes were replaced on 2026-11-20 and no longer work.');
    expect(sections[1]).not.toContain('<figure class="qr">');
    expect(sections[1]).toContain('<span class="mono">0386-59f0</span>');
  });

  test('is the same for the same input', () => {
    expect(html(demoAccounts(), { printedAt: DEMO_PRINTED_AT })).toBe(html(demoAccounts(), { printedAt: DEMO_PRINTED_AT }));
  });
});
