// Writes a vault of N accounts (10 codes each, some spent) for the sync benchmarks (bench/README.md).
//   node bench/make-vault.mjs FILE ACCOUNTS [other]      (COST=default for lifeboat's default key-derivation cost)
// With `other`, it writes the same vault as the other device would hold it after a day apart: 1% of the
// accounts renamed, 10% with a code spent, 1% with a new batch. Passphrase: $LIFEBOAT_PASSPHRASE.
// The cost is the test hook's (1 pass, 8 KiB) unless COST=default (3 passes, 64 MiB, what `init` chooses).
import { DEFAULT_COST, createVault } from '../dist/vault/index.js';
import { tick } from '../dist/domain/index.js';

const [file, count, variant] = process.argv.slice(2);
const n = Number(count);
const hex = (i, width = 16) => i.toString(16).padStart(width, '0');
const at = (day) => new Date(Date.UTC(2026, 0, 1 + day)).toISOString();
const codes = (i, spent) =>
  Array.from({ length: 10 }, (_, k) => ({ code: String((i * 7919 + k * 104729) % 1e8).padStart(8, '0').replace(/^(....)/, '$1 '), spentAt: k < spent ? at(2) : null }));

const other = variant === 'other';
const accounts = [];
for (let i = 0; i < n; i += 1) {
  const batches = [{ id: `b${hex(i * 2 + 1, 31)}`, addedAt: at(1), source: 'typed', supersededAt: null, printedAt: null, copiedAt: null, codes: codes(i, other && i % 10 === 0 ? 3 : 2) }];
  if (other && i % 100 === 1) {
    batches[0] = { ...batches[0], supersededAt: at(3) };
    batches.push({ id: `b${hex(i * 2 + 2, 31)}`, addedAt: at(3), seq: { n: 5, d: 'bbbbbbbbbbbbbbbb' }, source: 'typed', supersededAt: null, printedAt: null, copiedAt: null, codes: codes(i + n, 0) });
  }
  const renamed = other && i % 100 === 2;
  accounts.push({
    id: `a${hex(i, 31)}`,
    name: renamed ? `account-${i}-renamed` : `account-${i}`,
    service: null,
    username: null,
    note: null,
    createdAt: at(0),
    batches,
    ...(renamed ? { stamps: { name: { n: 5, d: 'bbbbbbbbbbbbbbbb' }, service: { n: 0, d: '' }, username: { n: 0, d: '' }, note: { n: 0, d: '' } } } : {}),
  });
}
let content = { accounts, tombstones: [], clock: { aaaaaaaaaaaaaaaa: 4 } };
if (other) content = tick(tick(content, 'bbbbbbbbbbbbbbbb'), 'bbbbbbbbbbbbbbbb');
await createVault(file, new TextEncoder().encode(process.env.LIFEBOAT_PASSPHRASE ?? ''), process.env.COST === 'default' ? DEFAULT_COST : { passes: 1, memoryKiB: 8 }, content, { warn: () => {} });
