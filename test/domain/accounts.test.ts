import { describe, expect, it } from 'vitest';
import {
  activeBatch,
  batchFingerprint,
  findAccountExact,
  isActive,
  matchAccounts,
  remainingCodes,
  resolveAccount,
  validateAccountName,
} from '../../src/domain/index.js';
import { account, batch, code, domainError, vaultOf } from './support.js';

const T1 = '2026-01-10T08:00:00.000Z';
const T2 = '2026-03-05T12:30:00.000Z';
const T3 = '2026-06-20T17:45:00.000Z';

const vault = vaultOf(
  account('a-1', 'instagram', []),
  account('a-2', 'github', []),
  account('a-3', 'github:work', []),
  account('a-4', 'GitLab', []),
  account('a-5', 'Bank of Somewhere', []),
);

describe('validateAccountName', () => {
  it.each(['instagram', 'github:work', 'Bank of Somewhere', 'x', 'é-mail', 'a'.repeat(100)])('accepts %j as it is', (name) => {
    expect(validateAccountName(name)).toBe(name);
  });

  it('returns the name in NFC, so that é typed two ways is one name', () => {
    expect(validateAccountName('caf\u0065\u0301')).toBe('caf\u00E9');
  });

  it.each([
    ['empty', ''],
    ['a leading space', ' instagram'],
    ['a trailing space', 'instagram '],
    ['only spaces', '   '],
    ['a trailing newline', 'instagram\n'],
    ['101 characters', 'a'.repeat(101)],
    ['a tab inside', 'git\thub'],
    ['a newline inside', 'git\nhub'],
    ['a NUL', 'git\u0000hub'],
    ['an escape', 'git\u001B[31mhub'],
    ['a DEL', 'git\u007Fhub'],
  ])('refuses a name with %s (invalid-name)', (_what, name) => {
    domainError('invalid-name', () => validateAccountName(name));
  });
});

describe('findAccountExact', () => {
  it('finds an account by its name in any case', () => {
    expect(findAccountExact(vault, 'instagram')?.id).toBe('a-1');
    expect(findAccountExact(vault, 'INSTAGRAM')?.id).toBe('a-1');
    expect(findAccountExact(vault, 'gitlab')?.id).toBe('a-4');
  });

  it('does not take a prefix', () => {
    expect(findAccountExact(vault, 'insta')).toBeUndefined();
  });

  it('compares names in NFC', () => {
    const withAccent = vaultOf(account('a-9', 'caf\u00E9', []));
    expect(findAccountExact(withAccent, 'CAFE\u0301')?.id).toBe('a-9');
  });
});

describe('matchAccounts', () => {
  it('returns only the exact name when there is one, even if it is a prefix of others', () => {
    expect(matchAccounts(vault, 'GitHub').map((a) => a.id)).toEqual(['a-2']);
  });

  it('returns every account starting with the query, case-insensitively, sorted by name', () => {
    expect(matchAccounts(vault, 'GI').map((a) => a.name)).toEqual(['github', 'github:work', 'GitLab']);
  });

  it('returns nothing when no name starts with the query', () => {
    expect(matchAccounts(vault, 'twitter')).toEqual([]);
  });
});

describe('resolveAccount', () => {
  it('resolves the exact name, in any case', () => {
    expect(resolveAccount(vault, 'Instagram').id).toBe('a-1');
    expect(resolveAccount(vault, 'GITHUB:WORK').id).toBe('a-3');
  });

  it('resolves an exact name that is also a prefix of another account to the exact one', () => {
    expect(resolveAccount(vault, 'github').id).toBe('a-2');
  });

  it('resolves a unique case-insensitive prefix', () => {
    expect(resolveAccount(vault, 'insta').id).toBe('a-1');
    expect(resolveAccount(vault, 'GITL').id).toBe('a-4');
    expect(resolveAccount(vault, 'github:').id).toBe('a-3');
    expect(resolveAccount(vault, 'bank').id).toBe('a-5');
  });

  it('refuses an ambiguous prefix and names the candidates, sorted', () => {
    const error = domainError('ambiguous-account', () => resolveAccount(vault, 'git'));
    expect(error.details.candidates).toEqual(['github', 'github:work', 'GitLab']);
    expect(error.message).toContain('github:work');
    expect(error.message).toContain('GitLab');
    expect(error.details.hint).toBeTruthy();
  });

  it('refuses a name no account has or starts with (no-such-account)', () => {
    const error = domainError('no-such-account', () => resolveAccount(vault, 'twitter'));
    expect(error.message).toContain('twitter');
    expect(error.details.hint).toContain('lifeboat list');
  });

  it('refuses any query on an empty vault', () => {
    domainError('no-such-account', () => resolveAccount(vaultOf(), 'instagram'));
  });
});

describe('activeBatch', () => {
  it('is the latest-added batch not marked superseded', () => {
    const a = account('a', 'x', [batch('b-1', T1, ['1']), batch('b-3', T3, ['3']), batch('b-2', T2, ['2'])]);
    expect(activeBatch(a)?.id).toBe('b-3');
  });

  it('skips batches marked superseded, even newer ones', () => {
    const a = account('a', 'x', [batch('b-1', T1, ['1']), batch('b-3', T3, ['3'], { supersededAt: T3 }), batch('b-2', T2, ['2'])]);
    expect(activeBatch(a)?.id).toBe('b-2');
  });

  it('breaks a tie on addedAt by the larger id, whatever the order of the batches', () => {
    const low = batch('b-aaaa', T2, ['1']);
    const high = batch('b-ffff', T2, ['2']);
    expect(activeBatch(account('a', 'x', [low, high]))?.id).toBe('b-ffff');
    expect(activeBatch(account('a', 'x', [high, low]))?.id).toBe('b-ffff');
  });

  it('is undefined when every batch is superseded, or there is none', () => {
    expect(activeBatch(account('a', 'x', [batch('b-1', T1, ['1'], { supersededAt: T2 })]))).toBeUndefined();
    expect(activeBatch(account('a', 'x', []))).toBeUndefined();
  });
});

describe('isActive', () => {
  it('is true for the active batch only', () => {
    const old = batch('b-1', T1, ['1'], { supersededAt: T2 });
    const current = batch('b-2', T2, ['2']);
    const a = account('a', 'x', [old, current]);
    expect(isActive(a, current)).toBe(true);
    expect(isActive(a, old)).toBe(false);
  });

  it('is false for an unmarked batch that an unmarked newer one replaced', () => {
    const older = batch('b-1', T1, ['1']);
    const a = account('a', 'x', [older, batch('b-2', T2, ['2'])]);
    expect(isActive(a, older)).toBe(false);
  });
});

describe('remainingCodes', () => {
  it('counts the unspent codes', () => {
    expect(remainingCodes(batch('b', T1, ['1', code('2', T2), '3', code('4', T3)]))).toBe(2);
    expect(remainingCodes(batch('b', T1, [code('1', T2)]))).toBe(0);
    expect(remainingCodes(batch('b', T1, ['1', '2', '3']))).toBe(3);
  });
});

describe('batchFingerprint', () => {
  it('is the first eight hex digits of the id, in two groups of four, in lower case', () => {
    expect(batchFingerprint(batch('3F2A9C1B-77d0-4e1f-9a1b-000000000000', T1, ['1']))).toBe('3f2a-9c1b');
  });

  it('skips characters of the id that are not hex digits', () => {
    expect(batchFingerprint(batch('id-0012-zz34ab', T1, ['1']))).toBe('d001-234a');
  });

  it('pads a short id with zeros', () => {
    expect(batchFingerprint(batch('ab1', T1, ['1']))).toBe('ab10-0000');
  });

  it('depends on the id only, never on the codes', () => {
    const one = batchFingerprint(batch('0123456789abcdef', T1, ['1111 2222']));
    const other = batchFingerprint(batch('0123456789abcdef', T2, ['3333 4444', '5555 6666']));
    expect(one).toBe(other);
    expect(batchFingerprint(batch('fedcba9876543210', T1, ['1111 2222']))).not.toBe(one);
  });
});
