// Unit tests of mergeCopies, the merge of two copies of one vault (issue 8), one block per rule of
// docs/vault-format.md, "Merging copies". The convergence property is in convergence.test.ts.
import { describe, expect, it } from 'vitest';
import {
  activeBatch,
  addBatch,
  describeAccount,
  mergeCopies,
  normalForm,
  removeAccount,
  renameAccount,
  spendCode,
  tick,
  unspendCode,
  useNextCode,
  type Context,
  type VaultContent,
} from '../../src/domain/index.js';

const LAPTOP = 'aaaaaaaaaaaaaaaa';
const PHONE = 'bbbbbbbbbbbbbbbb';
const A = ['1111 2222', '3333 4444', '5555 6666'];
const B = ['aaaa-1111', 'bbbb-2222', 'cccc-3333'];

/** A device: its own id, clock and ids; every change is counted in its clock, as a save does. */
function device(id: string, start = '2026-01-01T00:00:00.000Z') {
  let minute = 0;
  let ids = 0;
  const context = (): Context => ({
    device: id,
    now: new Date(Date.parse(start) + (minute += 1) * 60_000).toISOString(),
    newId: () => `${id.slice(0, 4)}${String((ids += 1)).padStart(12, '0')}`,
  });
  return {
    context,
    save: (content: VaultContent): VaultContent => tick(content, id),
  };
}

const same = (a: VaultContent, b: VaultContent) => expect(JSON.stringify(normalForm(a))).toBe(JSON.stringify(normalForm(b)));

/** A vault both devices start from: instagram with batch A, synced. */
function start() {
  const laptop = device(LAPTOP);
  const phone = device(PHONE, '2026-01-01T00:00:30.000Z');
  const base = laptop.save(addBatch({ accounts: [], tombstones: [] }, 'instagram', A.map((code) => ({ code, used: false })), { source: 'typed' }, laptop.context()).vault);
  return { laptop, phone, base };
}

describe('M1 and M3: spends are never lost; an unspend undoes only the spends it saw', () => {
  it('a code used on each device while apart is spent on both after the merge, with the earlier time', () => {
    const { laptop, phone, base } = start();
    const onLaptop = laptop.save(useNextCode(base, 'instagram', laptop.context()).vault);
    const onPhone = phone.save(useNextCode(base, 'instagram', phone.context()).vault);
    const { content, report } = mergeCopies(onLaptop, onPhone);
    const codes = content.accounts[0]!.batches[0]!.codes;
    const times = [onLaptop, onPhone].map((v) => v.accounts[0]!.batches[0]!.codes[0]!.spentAt!).sort();
    expect(codes[0]!.spentAt).toBe(times[0]);
    expect(codes[0]!.marks).toHaveLength(2);
    expect(report.codesSpent).toBe(0);
    same(content, mergeCopies(onPhone, onLaptop).content);
  });

  it('an unspend on one device does not undo a spend the other made meanwhile (the code stays spent)', () => {
    const { laptop, phone, base } = start();
    const used = laptop.save(useNextCode(base, 'instagram', laptop.context()).vault);
    // Both devices see the spend; then the laptop unspends it while the phone uses that very code again.
    const unspent = laptop.save(unspendCode(used, 'instagram', A[0]!, laptop.context()).vault);
    const spentAgain = phone.save(spendCode(unspendCode(used, 'instagram', A[0]!, phone.context()).vault, 'instagram', A[0]!, phone.context()).vault);
    const { content } = mergeCopies(unspent, spentAgain);
    expect(content.accounts[0]!.batches[0]!.codes[0]!.spentAt).not.toBeNull();
  });

  it('an unspend of a spend both devices saw wins over the copy that still has it spent, in either order', () => {
    const { laptop, base } = start();
    const used = laptop.save(useNextCode(base, 'instagram', laptop.context()).vault);
    const unspent = laptop.save(unspendCode(used, 'instagram', A[0]!, laptop.context()).vault);
    for (const [a, b] of [[unspent, used], [used, unspent]] as const) {
      const { content } = mergeCopies(a, b);
      expect(content.accounts[0]!.batches[0]!.codes[0]!.spentAt).toBeNull();
    }
    expect(mergeCopies(used, unspent).report.codesUnspent).toBe(1);
  });
});

describe('M2: the latest change of a field wins, by logical time, not by the clock', () => {
  it('a rename made after seeing the other device’s rename wins, even with a clock behind', () => {
    const { laptop, base } = start();
    const phone = device(PHONE, '2020-01-01T00:00:00.000Z'); // a phone whose clock is years behind
    const first = laptop.save(renameAccount(base, 'instagram', 'insta-old', laptop.context()).vault);
    const seen = mergeCopies(base, first).content;
    const second = phone.save(renameAccount(seen, 'insta-old', 'ig', phone.context()).vault);
    const { content, report } = mergeCopies(first, second);
    expect(content.accounts[0]!.name).toBe('ig');
    expect(report.renamed).toEqual([{ from: 'insta-old', to: 'ig' }]);
  });

  it('two renames made while apart: one name everywhere, decided the same way in either order', () => {
    const { laptop, phone, base } = start();
    const x = laptop.save(renameAccount(base, 'instagram', 'ig-laptop', laptop.context()).vault);
    const y = phone.save(renameAccount(base, 'instagram', 'ig-phone', phone.context()).vault);
    const xy = mergeCopies(x, y).content;
    same(xy, mergeCopies(y, x).content);
    // Equal logical times: the device id breaks the tie (the phone's id is the larger).
    expect(xy.accounts[0]!.name).toBe('ig-phone');
  });

  it('a service set on one device and a username on the other are both kept', () => {
    const { laptop, phone, base } = start();
    const id = base.accounts[0]!.id;
    const x = laptop.save(describeAccount(base, id, { service: 'Instagram' }, laptop.context()));
    const y = phone.save(describeAccount(base, id, { username: 'anna' }, phone.context()));
    const merged = mergeCopies(x, y).content.accounts[0]!;
    expect([merged.service, merged.username]).toEqual(['Instagram', 'anna']);
  });
});

describe('M4: which batch is active is decided by logical time, the same on every device', () => {
  it('a batch added after seeing the other device’s batch is active, whatever the clocks say', () => {
    const { laptop, base } = start();
    const phone = device(PHONE, '2020-01-01T00:00:00.000Z');
    const withB = laptop.save(addBatch(base, 'instagram', B.map((code) => ({ code, used: false })), { source: 'typed' }, laptop.context()).vault);
    const seen = mergeCopies(base, withB).content;
    const withC = phone.save(addBatch(seen, 'instagram', ['9999 0000', '8888 7777'].map((code) => ({ code, used: false })), { source: 'typed' }, phone.context()).vault);
    const merged = mergeCopies(withB, withC).content.accounts[0]!;
    expect(activeBatch(merged)?.codes[0]?.code).toBe('9999 0000');
  });

  it('two batches added while apart: both kept, one active on both devices', () => {
    const { laptop, phone, base } = start();
    const x = laptop.save(addBatch(base, 'instagram', B.map((code) => ({ code, used: false })), { source: 'typed' }, laptop.context()).vault);
    const y = phone.save(addBatch(base, 'instagram', ['9999 0000'].map((code) => ({ code, used: false })), { source: 'typed' }, phone.context()).vault);
    const xy = mergeCopies(x, y);
    expect(xy.content.accounts[0]!.batches).toHaveLength(3);
    expect(activeBatch(xy.content.accounts[0]!)?.id).toBe(activeBatch(mergeCopies(y, x).content.accounts[0]!)?.id);
    expect(xy.report.batchesAdded).toBe(1);
  });
});

describe('M5: a removal takes what it saw; what it never saw comes back, and the merge says so', () => {
  it('an account removed on one device is removed on the other', () => {
    const { laptop, base } = start();
    const removed = laptop.save(removeAccount(base, 'instagram', laptop.context()).vault);
    const { content, report } = mergeCopies(base, removed);
    expect(content.accounts).toEqual([]);
    expect(report.accountsRemoved).toEqual(['instagram']);
  });

  it('a batch added on the other device after the copies parted survives the removal, with its account', () => {
    const { laptop, phone, base } = start();
    const removed = laptop.save(removeAccount(base, 'instagram', laptop.context()).vault);
    const added = phone.save(addBatch(base, 'instagram', B.map((code) => ({ code, used: false })), { source: 'typed' }, phone.context()).vault);
    const { content, report } = mergeCopies(removed, added);
    expect(content.accounts[0]!.batches.map((batch) => batch.codes[0]!.code)).toEqual([B[0]]);
    expect(report.accountsRevived).toEqual(['instagram']);
    same(content, mergeCopies(added, removed).content);
  });

  it('a spend made elsewhere on a removed account does not bring it back', () => {
    const { laptop, phone, base } = start();
    const removed = laptop.save(removeAccount(base, 'instagram', laptop.context()).vault);
    const used = phone.save(useNextCode(base, 'instagram', phone.context()).vault);
    expect(mergeCopies(removed, used).content.accounts).toEqual([]);
  });
});

describe('M6: two accounts that end up with one name are told apart', () => {
  it('an account created on each device under one name: the later one is renamed, and the report says so', () => {
    const laptop = device(LAPTOP);
    const phone = device(PHONE);
    const x = laptop.save(addBatch({ accounts: [], tombstones: [] }, 'github', A.map((code) => ({ code, used: false })), { source: 'typed' }, laptop.context()).vault);
    const y = phone.save(addBatch({ accounts: [], tombstones: [] }, 'GitHub', B.map((code) => ({ code, used: false })), { source: 'typed' }, phone.context()).vault);
    const { content, report } = mergeCopies(x, y);
    expect(content.accounts.map((account) => account.name).sort()).toEqual(['GitHub~bbbb00', 'github'].sort());
    expect(report.nameClashes).toEqual([{ name: 'GitHub', renamedTo: 'GitHub~bbbb00' }]);
    same(content, mergeCopies(y, x).content);
    // The rename sticks: merging the result with the old copy keeps it.
    same(mergeCopies(content, y).content, content);
  });
});

describe('M7: merging is idempotent and reports nothing for a copy already merged', () => {
  it('merge(x, x) = x; merging the same copy twice changes nothing the second time', () => {
    const { laptop, phone, base } = start();
    const x = laptop.save(useNextCode(base, 'instagram', laptop.context()).vault);
    const y = phone.save(renameAccount(base, 'instagram', 'ig', phone.context()).vault);
    expect(mergeCopies(x, x).report.changed).toBe(false);
    const once = mergeCopies(x, y).content;
    const twice = mergeCopies(once, y);
    expect(twice.report.changed).toBe(false);
    same(twice.content, once);
  });
});

describe('the clock', () => {
  it('every change keeps the vault\u2019s clock, so that a save can count it', () => {
    const { laptop, base } = start();
    const clock = base.clock;
    expect(clock).toEqual({ [LAPTOP]: 1 });
    const changes = [
      useNextCode(base, 'instagram', laptop.context()).vault,
      renameAccount(base, 'instagram', 'ig', laptop.context()).vault,
      removeAccount(base, 'instagram', laptop.context()).vault,
      addBatch(base, 'instagram', B.map((code) => ({ code, used: false })), { source: 'typed' }, laptop.context()).vault,
      describeAccount(base, base.accounts[0]!.id, { service: 'Instagram' }, laptop.context()),
    ];
    for (const changed of changes) expect(changed.clock).toEqual(clock);
  });
});
