// Unit tests of the terminal text and JSON of `list`, `show` and `check`: what each row, line and field says
// for active, spent, superseded and missing batches. Vaults are built by hand with fixed times and ids.
import { describe, expect, it } from 'vitest';
import { checkCode, type VaultContent } from '../../src/domain/index.js';
import { checkJson, describeCost, listEntries, renderCheck, renderList, renderShow, showJson } from '../../src/output/text.js';
import { account, batch, code, vaultOf } from '../domain/support.js';

const FIRST = '2026-06-01T00:00:00.000Z';
const REPLACED = '2026-10-01T09:30:00.000Z';
const SPENT = '2026-10-20T14:05:00.000Z';

const oldBatch = batch('aaaa1111-0000', FIRST, [code('7391 0465', '2026-07-04T08:00:00.000Z'), '2846 1903'], { supersededAt: REPLACED });
const liveBatch = batch('bbbb2222-0000', REPLACED, [code('abcd-efgh', SPENT), 'ijkl-mnop', 'qrst-uvwx', 'yzab-cdef', 'ghij-klmn']);

const instagram = account('acc-1', 'instagram', [oldBatch, liveBatch], { service: 'Instagram', username: 'me@example.org' });
const github = account('acc-2', 'github:work', [batch('cccc3333', FIRST, ['Q1W2E3R4', code('T5Y6U7I8', SPENT), code('O9P0A1S2', SPENT)])]);
const bank = account('acc-3', 'Bank', [batch('dddd4444', FIRST, [code('1111', SPENT), code('2222', SPENT)])]);
const history = account('acc-4', 'archive', [batch('eeee5555', FIRST, ['5555 6666'], { supersededAt: REPLACED })]);

const vault: VaultContent = vaultOf(instagram, github, bank, history);

describe('listEntries (list --json)', () => {
  it('gives one row per account, sorted by name, counting the active batch', () => {
    const entries = listEntries(vault);
    expect(entries.map((e) => e.name)).toEqual(['archive', 'Bank', 'github:work', 'instagram']);
    expect(entries.find((e) => e.name === 'instagram')).toEqual({
      name: 'instagram',
      service: 'Instagram',
      username: 'me@example.org',
      remaining: 4,
      total: 5,
      batchDate: '2026-10-01',
      fingerprint: 'bbbb-2222',
      warning: null,
    });
  });

  it('warns when few codes are left, none are left, or there is no active batch', () => {
    const byName = Object.fromEntries(listEntries(vault).map((e) => [e.name, e]));
    expect(byName['github:work']).toMatchObject({ remaining: 1, total: 3, warning: 'few left' });
    expect(byName['Bank']).toMatchObject({ remaining: 0, total: 2, warning: 'none left' });
    expect(byName['archive']).toMatchObject({ remaining: 0, total: 0, batchDate: null, fingerprint: null, warning: 'no active batch' });
    expect(byName['instagram']?.warning).toBeNull();
  });

  // Issue 9: a service that issues one code (or three) is not "running low" the moment it is added; low is
  // the last code, or a quarter of the batch, once a code was used.
  it.each([
    [1, 0, null],
    [1, 1, 'none left'],
    [3, 0, null],
    [3, 1, null],
    [3, 2, 'few left'],
    [10, 7, null],
    [10, 8, 'few left'],
    [16, 11, null],
    [16, 12, 'few left'],
  ])('a batch of %i with %i spent: %s', (size, spent, warning) => {
    const codes = Array.from({ length: size }, (_, i) => (i < spent ? code(`code-${i}`, SPENT) : `code-${i}`));
    expect(listEntries(vaultOf(account('a', 'a', [batch('1', FIRST, codes)])))[0]?.warning).toBe(warning);
  });

  it('has name, remaining and total in every JSON row, and no code', () => {
    const rows = JSON.parse(JSON.stringify(listEntries(vault))) as Record<string, unknown>[];
    for (const row of rows) {
      expect(row).toHaveProperty('name');
      expect(typeof row['remaining']).toBe('number');
      expect(typeof row['total']).toBe('number');
    }
    const text = JSON.stringify(rows);
    for (const c of ['7391 0465', 'ijkl-mnop', 'Q1W2E3R4', '5555 6666']) expect(text).not.toContain(c);
  });

  it('is empty for an empty vault', () => {
    expect(listEntries(vaultOf())).toEqual([]);
  });
});

describe('renderList', () => {
  it('prints a table with right-aligned counts and the warnings in words', () => {
    expect(renderList(listEntries(vault))).toBe(
      [
        'ACCOUNT      LEFT  ADDED',
        'archive       0/0  -           no active batch',
        'Bank          0/2  2026-06-01  none left: generate new codes',
        'github:work   1/3  2026-06-01  only 1 left: generate new codes soon',
        'instagram     4/5  2026-10-01',
        '',
      ].join('\n'),
    );
  });

  it('says how to add an account when there is none', () => {
    expect(renderList([])).toContain('lifeboat add');
  });
});

describe('showJson (show --json)', () => {
  it('has the name and the active batch codes in order with their state', () => {
    const shown = showJson(instagram, false) as Record<string, unknown>;
    expect(shown['name']).toBe('instagram');
    expect(shown['codes']).toEqual([
      { code: 'abcd-efgh', state: 'spent', spentAt: SPENT },
      { code: 'ijkl-mnop', state: 'unspent', spentAt: null },
      { code: 'qrst-uvwx', state: 'unspent', spentAt: null },
      { code: 'yzab-cdef', state: 'unspent', spentAt: null },
      { code: 'ghij-klmn', state: 'unspent', spentAt: null },
    ]);
    expect(shown['batch']).toEqual({
      id: 'bbbb2222-0000',
      fingerprint: 'bbbb-2222',
      addedAt: REPLACED,
      state: 'active',
      supersededAt: null,
      source: 'typed',
      remaining: 4,
      total: 5,
    });
    expect(shown).not.toHaveProperty('batches');
    expect(JSON.stringify(shown)).not.toContain('7391 0465');
  });

  it('with all also has every batch, newest first, each with its codes', () => {
    const shown = showJson(instagram, true) as { codes: unknown[]; batches: { id: string; state: string; supersededAt: string | null; codes: { code: string; state: string; spentAt: string | null }[] }[] };
    expect(shown.codes).toHaveLength(5);
    expect(shown.batches.map((b) => [b.id, b.state, b.supersededAt])).toEqual([
      ['bbbb2222-0000', 'active', null],
      ['aaaa1111-0000', 'superseded', REPLACED],
    ]);
    expect(shown.batches[1]?.codes).toEqual([
      { code: '7391 0465', state: 'spent', spentAt: '2026-07-04T08:00:00.000Z' },
      { code: '2846 1903', state: 'unspent', spentAt: null },
    ]);
  });

  it('has no batch and no codes for an account without an active batch', () => {
    expect(showJson(history, false)).toMatchObject({ name: 'archive', batch: null, codes: [] });
    expect((showJson(history, true) as { batches: unknown[] }).batches).toHaveLength(1);
  });
});

describe('renderShow', () => {
  it('prints the title, the active batch, and each code with its spent mark', () => {
    expect(renderShow(instagram, false)).toBe(
      [
        'instagram user me@example.org',
        '',
        '  batch bbbb-2222, added 2026-10-01: 4 of 5 left',
        '  1. abcd-efgh  spent 2026-10-20 14:05 UTC',
        '  2. ijkl-mnop',
        '  3. qrst-uvwx',
        '  4. yzab-cdef',
        '  5. ghij-klmn',
        '',
      ].join('\n'),
    );
  });

  it('names the service in the title only when it is not the account name', () => {
    expect(renderShow({ ...instagram, name: 'insta:work' }, false).split('\n')[0]).toBe('insta:work (Instagram) user me@example.org');
  });

  it('leaves superseded batches out unless asked for all', () => {
    expect(renderShow(instagram, false)).not.toContain('2846 1903');
    const all = renderShow(instagram, true);
    expect(all).toContain('  batch aaaa-1111, added 2026-06-01: SUPERSEDED on 2026-10-01: the service no longer accepts these');
    expect(all).toContain('  1. 7391 0465  spent 2026-07-04 08:00 UTC');
    expect(all).toContain('  2. 2846 1903  never used');
    expect(all.indexOf('bbbb-2222')).toBeLessThan(all.indexOf('aaaa-1111'));
  });

  it('says so when there is no active batch', () => {
    expect(renderShow(history, false)).toBe('archive\n  no active batch\n');
    expect(renderShow(history, true)).toContain('1. 5555 6666  never used');
  });

  it('pads numbers and codes into columns', () => {
    const many = account('x', 'x', [batch('ffff', FIRST, [...Array.from({ length: 9 }, (_, i) => `c${i}`), code('longer-10', SPENT)])]);
    const lines = renderShow(many, false).split('\n');
    expect(lines).toContain('   1. c0');
    expect(lines).toContain('  10. longer-10  spent 2026-10-20 14:05 UTC');
  });

  it('does not repeat a service named like the account', () => {
    expect(renderShow({ ...github, service: 'github:work' }, false).split('\n')[0]).toBe('github:work');
  });
});

describe('checkJson (check --json)', () => {
  it('has the verdict, the account and every match with account, batch, state and spentAt only', () => {
    expect(checkJson(checkCode(vault, 'T5Y6 U7I8'))).toEqual({
      state: 'spent',
      account: 'github:work',
      matches: [{ account: 'github:work', batch: 'cccc3333', state: 'spent', spentAt: SPENT }],
    });
    expect(checkJson(checkCode(vault, '73910465'))).toEqual({
      state: 'superseded',
      account: 'instagram',
      matches: [{ account: 'instagram', batch: 'aaaa1111-0000', state: 'superseded', spentAt: '2026-07-04T08:00:00.000Z' }],
    });
  });

  it('has a null account and no matches for an unknown code', () => {
    expect(checkJson(checkCode(vault, '0000 0000'))).toEqual({ state: 'unknown', account: null, matches: [] });
  });
});

describe('renderCheck', () => {
  it('prints one sentence per match', () => {
    expect(renderCheck(checkCode(vault, 'IJKL MNOP'))).toBe('unspent: a code of instagram that still works\n');
    expect(renderCheck(checkCode(vault, 'abcdefgh'))).toBe('spent: a code of instagram, used on 2026-10-20 14:05 UTC\n');
    expect(renderCheck(checkCode(vault, '2846-1903'))).toBe(
      'superseded: a code of instagram from the batch of 2026-06-01, replaced on 2026-10-01; the service no longer accepts it\n',
    );
    expect(renderCheck(checkCode(vault, '0000'))).toBe('unknown: no account in this vault has that code\n');
  });

  it('lists every account that has the code', () => {
    const twice = vaultOf(github, account('acc-9', 'other', [batch('9999', FIRST, ['q1w2-e3r4'])]));
    expect(renderCheck(checkCode(twice, 'Q1W2E3R4')).split('\n')).toEqual([
      'unspent: a code of github:work that still works',
      'unspent: a code of other that still works',
      '',
    ]);
  });
});

describe('describeCost', () => {
  it('shows whole MiB, otherwise KiB, and passes with the right plural', () => {
    expect(describeCost({ memoryKiB: 65536, passes: 3 })).toBe('64 MiB, 3 passes');
    expect(describeCost({ memoryKiB: 8, passes: 1 })).toBe('8 KiB, 1 pass');
    expect(describeCost({ memoryKiB: 1536, passes: 2 })).toBe('1536 KiB, 2 passes');
  });
});
