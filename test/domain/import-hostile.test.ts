// Importing an export someone else wrote (issue 11, findings 2, 3, 7, 8): an export cannot take over an
// account, cannot brick the vault, and is refused whole when it breaks a rule.
import { describe, expect, it } from 'vitest';
import {
  activeBatch,
  addBatch,
  checkContent,
  DomainError,
  IMPORT_LIMITS,
  mergeVaults,
  useNextCode,
  type VaultContent,
} from '../../src/domain/index.js';
import { account, batch, code, counterIds, DEVICE, vaultOf } from './support.js';

const NOW = '2026-11-01T10:00:00.000Z';
const context = () => ({ now: NOW, newId: counterIds('f'), device: DEVICE });
const USER = ['1111 2222', '3333 4444'];
const ATTACKER = ['6666 6666', '7777 7777'];

function userVault(): VaultContent {
  return addBatch({ accounts: [], tombstones: [] }, 'github', USER.map((c) => ({ code: c, used: false })), { source: 'typed' }, { ...context(), now: '2026-10-01T00:00:00.000Z' }).vault;
}

function refused(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('an export cannot take over an account (finding 2)', () => {
  it('a batch dated in the future is refused, and nothing is imported', () => {
    const crafted = vaultOf(account('evil-1', 'GitHub', [batch('evil-b', '2099-12-29T00:00:00.000Z', ATTACKER)], { createdAt: '2020-01-01T00:00:00.000Z' }));
    const error = refused(() => mergeVaults(userVault(), crafted, context()));
    expect(error.kind).toBe('invalid-import');
    expect(error.message).toMatch(/future/);
  });

  it('a time before its account was created is refused', () => {
    const crafted = vaultOf(account('evil-1', 'x', [batch('evil-b', '2019-01-01T00:00:00.000Z', ATTACKER)], { createdAt: '2020-01-01T00:00:00.000Z' }));
    expect(refused(() => mergeVaults(userVault(), crafted, context())).message).toMatch(/before its account was created/);
  });

  it('a plausible newer batch for an existing account comes in as history: use still hands out the user\'s code', () => {
    const crafted = vaultOf(account('evil-1', 'GitHub', [batch('evil-b', '2026-10-31T00:00:00.000Z', ATTACKER)], { createdAt: '2020-01-01T00:00:00.000Z' }));
    const { vault } = mergeVaults(userVault(), crafted, context());
    expect(useNextCode(vault, 'github', context()).code).toBe(USER[0]);
    // And after the user adds fresh codes, those are the active ones, never the export's.
    const fresh = addBatch(vault, 'github', [{ code: '9999 0000', used: false }], { source: 'typed', }, context()).vault;
    expect(activeBatch(fresh.accounts[0]!)?.codes[0]?.code).toBe('9999 0000');
  });

  it('codes an export adds to a stored batch are never appended to it', () => {
    const user = userVault();
    const stored = user.accounts[0]!;
    const crafted = vaultOf(account(stored.id, 'github', [batch(stored.batches[0]!.id, stored.batches[0]!.addedAt, [...USER, ATTACKER[0]!])], { createdAt: stored.createdAt }));
    const { vault, summary } = mergeVaults(user, crafted, context());
    expect(vault.accounts[0]!.batches[0]!.codes.map((c) => c.code)).toEqual(USER);
    expect(summary.codesIgnored).toBe(1);
  });

  it('a code shaped like a spreadsheet formula or holding terminal controls is refused (findings 1, 7)', () => {
    for (const bad of ['=HYPERLINK("http://x")', '+1234', '@SUM(A1)', '-12345678', '1234\u001b]52;c;SGVsbG8=\u00075678', '12\u202e34']) {
      const crafted = vaultOf(account('acc-x', 'x', [batch('b-x', '2026-01-01T00:00:00.000Z', [bad])], { createdAt: '2026-01-01T00:00:00.000Z' }));
      expect(refused(() => mergeVaults(userVault(), crafted, context())).kind).toBe('invalid-import');
    }
  });

  it('a name with a direction override or an invisible character is refused', () => {
    for (const bad of ['git\u202ehub', 'git\u200bhub', 'git\u2066hub']) {
      const crafted = vaultOf(account('acc-x', bad, [batch('b-x', '2026-01-01T00:00:00.000Z', ATTACKER)], { createdAt: '2026-01-01T00:00:00.000Z' }));
      expect(refused(() => mergeVaults(userVault(), crafted, context())).kind).toBe('invalid-import');
    }
  });
});

describe('two imports cannot brick the vault (finding 3)', () => {
  it('T + U+0308 and then t + U+0308 are one account, and the vault stays valid', () => {
    const first = vaultOf(account('acc-1', 'T\u0308', [batch('b-1', '2026-01-01T00:00:00.000Z', USER)], { createdAt: '2026-01-01T00:00:00.000Z' }));
    const second = vaultOf(account('acc-2', 't\u0308', [batch('b-2', '2026-01-02T00:00:00.000Z', ATTACKER)], { createdAt: '2026-01-01T00:00:00.000Z' }));
    const once = mergeVaults({ accounts: [], tombstones: [] }, first, context()).vault;
    const twice = mergeVaults(once, second, context()).vault;
    expect(twice.accounts).toHaveLength(1);
    expect(checkContent(twice)).toEqual([]);
  });

  it('one export that holds the same name twice keeps the first account only', () => {
    const crafted = vaultOf(
      account('acc-1', 'Mail', [batch('b-1', '2026-01-01T00:00:00.000Z', USER)], { createdAt: '2026-01-01T00:00:00.000Z' }),
      account('acc-2', 'mail', [batch('b-2', '2026-01-01T00:00:00.000Z', ATTACKER)], { createdAt: '2026-01-01T00:00:00.000Z' }),
    );
    const { vault } = mergeVaults({ accounts: [], tombstones: [] }, crafted, context());
    expect(vault.accounts.map((a) => a.name)).toEqual(['Mail']);
    expect(checkContent(vault)).toEqual([]);
  });
});

describe('cost bombs (finding 8)', () => {
  it('refuses an export with more accounts than the limit, before reading them', () => {
    const many = vaultOf(...Array.from({ length: IMPORT_LIMITS.accounts + 1 }, (_, i) => account(`a${i}`, `n${i}`, [], { createdAt: '2026-01-01T00:00:00.000Z' })));
    expect(refused(() => mergeVaults(userVault(), many, context())).message).toMatch(/more than 10000 accounts/);
  });

  it('merges 10,000 accounts into 10,000, matching each through a map', () => {
    const accounts = (prefix: string) =>
      Array.from({ length: 10_000 }, (_, i) => account(`${prefix}${i}`, `${prefix}-${i}`, [batch(`${prefix}b${i}`, '2026-01-01T00:00:00.000Z', [code(`${prefix}${i}-1`), code(`${prefix}${i}-2`)])], { createdAt: '2026-01-01T00:00:00.000Z' }));
    const target = vaultOf(...accounts('x'));
    const incoming = vaultOf(...accounts('y').slice(0, 5000), ...accounts('x').slice(0, 5000));
    const { vault, summary } = mergeVaults(target, incoming, context());
    expect(vault.accounts).toHaveLength(15_000);
    expect(summary.accountsUnchanged).toBe(5000);
  });
});
