import { describe, expect, it } from 'vitest';
import { codeKey, editDistance, holdersOf, nearestNames, settleSpentDuplicates } from '../../src/domain/index.js';
import { account, batch, code, deepFreeze, vaultOf } from './support.js';

const T1 = '2026-01-10T08:00:00.000Z';
const T2 = '2026-03-05T12:30:00.000Z';
const SPENT = '2026-04-01T09:00:00.000Z';

describe('holdersOf (issue 10, "Duplicates across accounts")', () => {
  const vault = deepFreeze(
    vaultOf(
      account('a-1', 'google', [batch('b-1', T1, ['1234 5678', '2345 6789', '3456 7890'])]),
      account('a-2', 'work', [batch('b-2', T1, ['12345678'], { supersededAt: T2 }), batch('b-3', T2, ['9999 0000'])]),
      account('a-3', 'github', [batch('b-4', T1, ['a1b2c-3d4e5'])]),
    ),
  );

  it('names every other account holding any of the codes, compared by code key, most codes first', () => {
    expect(holdersOf(vault, 'personal', ['1234-5678', '2345 6789', '7777 7777'])).toEqual([
      { account: 'google', codes: 2, active: true },
      { account: 'work', codes: 1, active: false },
    ]);
  });

  it('does not count the account the codes are added to (by name, case-insensitively)', () => {
    expect(holdersOf(vault, 'GOOGLE', ['1234 5678'])).toEqual([{ account: 'work', codes: 1, active: false }]);
  });

  it('is empty for codes nobody holds', () => {
    expect(holdersOf(vault, 'new', ['5555 5555', 'A1B2C-3D4E6'])).toEqual([]);
  });
});

describe('settleSpentDuplicates', () => {
  it('marks every copy of a spent code spent, at the earliest spending', () => {
    const later = '2026-05-01T00:00:00.000Z';
    const vault = deepFreeze(
      vaultOf(
        account('a-1', 'google', [batch('b-1', T1, [code('1234 5678', SPENT), '2345 6789'])]),
        account('a-2', 'google2', [batch('b-2', T1, ['12345678', code('2345-6789', later)])]),
      ),
    );
    const settled = settleSpentDuplicates(vault);
    expect(settled.accounts[0]?.batches[0]?.codes).toEqual([code('1234 5678', SPENT), code('2345 6789', later)]);
    expect(settled.accounts[1]?.batches[0]?.codes).toEqual([code('12345678', SPENT), code('2345-6789', later)]);
  });

  it('returns the very same content when nothing needs a mark', () => {
    const vault = deepFreeze(
      vaultOf(account('a-1', 'google', [batch('b-1', T1, [code('1234 5678', SPENT)])]), account('a-2', 'x', [batch('b-2', T1, ['2345 6789'])])),
    );
    expect(settleSpentDuplicates(vault)).toBe(vault);
  });

  it('with a set of code keys, settles those codes exactly as a whole settle does, and leaves every other code and account alone', () => {
    const later = '2026-05-01T00:00:00.000Z';
    const vault = deepFreeze(
      vaultOf(
        account('a-1', 'google', [batch('b-1', T1, [code('1234 5678', SPENT), '2345 6789'])]),
        account('a-2', 'google2', [batch('b-2', T1, ['12345678', code('2345-6789', later)])]),
        account('a-3', 'other', [batch('b-3', T1, ['23456789', '9999 0000'])]),
      ),
    );
    const whole = settleSpentDuplicates(vault);
    const first = settleSpentDuplicates(vault, new Set([codeKey('1234 5678')]));
    expect(first.accounts[1]?.batches[0]?.codes[0]).toEqual(whole.accounts[1]?.batches[0]?.codes[0]);
    expect(first.accounts[1]?.batches[0]?.codes[1]).toBe(vault.accounts[1]?.batches[0]?.codes[1]);
    expect(first.accounts[0]).toBe(vault.accounts[0]);
    expect(first.accounts[2]).toBe(vault.accounts[2]);
    const second = settleSpentDuplicates(vault, new Set([codeKey('2345 6789')]));
    expect(second.accounts[0]).toEqual(whole.accounts[0]);
    expect(second.accounts[2]).toEqual(whole.accounts[2]);
    expect(second.accounts[1]).toBe(vault.accounts[1]);
    expect(settleSpentDuplicates(vault, new Set([codeKey('1234 5678'), codeKey('2345 6789')]))).toEqual(whole);
    expect(settleSpentDuplicates(vault, new Set(['99990000']))).toBe(vault);
  });
});

describe('nearestNames (issue 10, "Prefixes and typos")', () => {
  const names = ['instagram', 'github', 'github:work', 'gitlab', 'ig', 'Proton'];

  it('suggests names the query is a prefix of', () => {
    expect(nearestNames(names, 'insta')).toEqual(['instagram']);
    expect(nearestNames(names, 'GITHUB:')).toEqual(['github:work', 'github']);
  });

  it('suggests names one or two typos away, nearest first', () => {
    expect(nearestNames(names, 'instgram')).toEqual(['instagram']);
    expect(nearestNames(names, 'isntagram')).toEqual(['instagram']);
    expect(nearestNames(names, 'githib')).toEqual(['github']);
    expect(nearestNames(names, 'proton')).toEqual([]);
    expect(nearestNames(names, 'protn')).toEqual(['Proton']);
  });

  it('does not take short names for typos of each other, nor suggest the name itself', () => {
    expect(nearestNames(names, 'ih')).toEqual([]);
    expect(nearestNames(names, 'ig')).toEqual([]);
    expect(nearestNames(names, 'dropbox')).toEqual([]);
    expect(nearestNames(names, '')).toEqual([]);
  });

  it('measures typos as keyboard edits (a swap of two neighbours is one)', () => {
    expect(editDistance('abcd', 'abdc')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
