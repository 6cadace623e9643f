// The consistency rules every saved content meets (docs/vault-format.md 5.3), and how a save checks a
// change to a content already known to meet them.
import { describe, expect, it } from 'vitest';
import { checkContent, type VaultContent } from '../../src/domain/index.js';
import { account, batch, code, deepFreeze, vaultOf } from './support.js';

const T1 = '2026-01-10T08:00:00.000Z';
const SPENT = '2026-02-01T09:00:00.000Z';

const sound = deepFreeze(
  vaultOf(
    account('a-1', 'google', [batch('b-1', T1, [code('1234 5678', SPENT), '2345 6789'])]),
    account('a-2', 'github', [batch('b-2', T1, ['a1b2c-3d4e5', 'f6g7h-8i9j0'])]),
    account('a-3', 'instagram', [batch('b-3', T1, ['11112222', '33334444'])]),
  ),
);

/** The content with account `i` replaced by `change` of it (a new object, as every change makes). */
function changed(content: VaultContent, i: number, change: (a: VaultContent['accounts'][number]) => VaultContent['accounts'][number]): VaultContent {
  return { ...content, accounts: content.accounts.map((a, j) => (j === i ? change(a) : a)) };
}

describe('checkContent', () => {
  it('finds nothing in a sound content, checked whole or as a change to itself', () => {
    expect(checkContent(sound)).toEqual([]);
    expect(checkContent(sound, sound)).toEqual([]);
  });

  it('names a broken rule by its place, never by a code', () => {
    const twice = changed(sound, 1, (a) => ({ ...a, batches: [batch('b-2', T1, ['a1b2c-3d4e5', 'A1B2C3D4E5'])] }));
    expect(checkContent(twice)).toEqual(['account 2 batch 1 code 2 is in the batch twice']);
    const hidden = changed(sound, 2, (a) => ({ ...a, batches: [batch('b-3', T1, ['1111\u001b2222'])] }));
    expect(checkContent(hidden)).toEqual(['account 3 batch 1 code 1 is not a printable code']);
  });

  it('checks every account a change made, given the content the change was made to', () => {
    const twice = changed(sound, 1, (a) => ({ ...a, batches: [batch('b-2', T1, ['a1b2c-3d4e5', 'A1B2C3D4E5'])] }));
    expect(checkContent(twice, sound)).toEqual(['account 2 batch 1 code 2 is in the batch twice']);
    const badName = changed(sound, 0, (a) => ({ ...a, name: 'goo\u202Egle' }));
    expect(checkContent(badName, sound)).toEqual(['account 1 name is not a valid account name']);
    const added: VaultContent = { ...sound, accounts: [...sound.accounts, account('zz', 'new', [batch('b-4', T1, ['1\u200B2'])])] };
    expect(checkContent(added, sound)).toEqual(['account 4 batch 1 code 1 is not a printable code']);
  });

  it('checks the rules across accounts whatever changed: a renamed account may not take a name in use, nor an id', () => {
    const clash = changed(sound, 2, (a) => ({ ...a, name: 'GOOGLE' }));
    expect(checkContent(clash, sound)).toEqual(['account 3 has the same name as another account']);
    const sameId = changed(sound, 2, (a) => ({ ...a, batches: [batch('b-1', T1, ['11112222'])] }));
    expect(checkContent(sameId, sound)).toEqual(['account 3 uses an id that is used twice']);
    // Two accounts, both unchanged, that meet a third content's rules only apart: put together, they clash.
    const other = deepFreeze(vaultOf(account('a-9', 'google', [batch('b-9', T1, ['9999 0000'])])));
    const joined: VaultContent = { ...sound, accounts: [...sound.accounts, ...other.accounts] };
    expect(checkContent(joined, sound)).toEqual(['account 4 has the same name as another account']);
  });

  it('checks the tombstones when they changed', () => {
    const removed: VaultContent = { ...sound, tombstones: [{ id: 'bad id!', removedAt: T1 }] };
    expect(checkContent(removed, sound)).toEqual(['tombstone 1 has a malformed id']);
  });
});
