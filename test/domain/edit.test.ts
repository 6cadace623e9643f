// The pure transition behind `lifeboat edit` (issue 9, "New commands").
import { describe, expect, it } from 'vitest';
import { DomainError, addBatch, editAccount, type VaultContent } from '../../src/domain/index.js';
import { incoming, makeContext, pure } from './support.js';

/** The device that stamps the edits. */
const DEVICE_CONTEXT = { device: 'd0d0d0d0d0d0d0d0' };

function vaultWith(...names: string[]): VaultContent {
  let vault: VaultContent = { accounts: [], tombstones: [] };
  const context = makeContext();
  for (const name of names) vault = addBatch(vault, name, incoming(['1111 2222', '3333 4444']), { source: 'typed' }, context).vault;
  return vault;
}

describe('editAccount', () => {
  it('sets the given details, leaves the others, and reports what changed', () => {
    const vault = vaultWith('github');
    const result = pure(vault, (v) => editAccount(v, 'git', { username: 'ada@example.org', note: '  work laptop  ' }, DEVICE_CONTEXT));
    expect(result.account).toMatchObject({ name: 'github', service: null, username: 'ada@example.org', note: 'work laptop' });
    expect(result.changed).toEqual([
      { field: 'username', before: null, after: 'ada@example.org' },
      { field: 'note', before: null, after: 'work laptop' },
    ]);
    expect(result.vault.accounts[0]?.batches).toBe(vault.accounts[0]?.batches);
  });

  it('an empty text or null clears a detail', () => {
    const first = editAccount(vaultWith('github'), 'github', { service: 'GitHub', note: 'x' }, DEVICE_CONTEXT).vault;
    const result = pure(first, (v) => editAccount(v, 'github', { service: '', note: null }, DEVICE_CONTEXT));
    expect(result.account).toMatchObject({ service: null, note: null });
    expect(result.changed.map((change) => change.field)).toEqual(['service', 'note']);
  });

  it('values equal to the stored ones change nothing and return the same vault', () => {
    const first = editAccount(vaultWith('github'), 'github', { username: 'ada' }, DEVICE_CONTEXT).vault;
    const result = pure(first, (v) => editAccount(v, 'github', { username: 'ada', service: '' }, DEVICE_CONTEXT));
    expect(result.changed).toEqual([]);
    expect(result.vault).toBe(first);
  });

  it('refuses control characters and an unknown account', () => {
    const vault = vaultWith('github');
    expect(() => editAccount(vault, 'github', { note: 'a\u0007b' }, DEVICE_CONTEXT)).toThrow(DomainError);
    expect(() => editAccount(vault, 'gitlab', { note: 'x' }, DEVICE_CONTEXT)).toThrow(/no account named "gitlab"/);
  });
});
