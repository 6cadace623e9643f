import fc from 'fast-check';
import { expect } from 'vitest';
import {
  activeBatch,
  addBatch,
  checkContent,
  describeAccount,
  DomainError,
  marksOf,
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
import { markPrinted } from '../../src/domain/transitions.js';

/**
 * The convergence property of docs/vault-format.md, "Merging copies": replicas of one vault apply random
 * histories of every change a user can make, meet pairwise in random orders while they do, and finally
 * exchange everything. Shared by the fast sample in `npm test` and the full run in `npm run proof`.
 */

/** One change a replica makes. Numbers pick among what the replica holds at that moment. */
export type Step =
  | { readonly kind: 'add'; readonly name: number; readonly codes: number; readonly used: number }
  | { readonly kind: 'use'; readonly account: number }
  | { readonly kind: 'spend'; readonly account: number; readonly code: number }
  | { readonly kind: 'unspend'; readonly account: number; readonly code: number }
  | { readonly kind: 'rename'; readonly account: number; readonly name: number }
  | { readonly kind: 'edit'; readonly account: number; readonly service: number }
  | { readonly kind: 'remove'; readonly account: number }
  | { readonly kind: 'print'; readonly account: number }
  | { readonly kind: 'sync'; readonly with: number };

const NAMES = ['github', 'GitHub', 'instagram', 'google', 'mail', 'bank', 'Straße', 'STRASSE'];
const SERVICES = ['GitHub', 'Google', 'Instagram', null];

const index = fc.nat({ max: 1000 });
export const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), name: index, codes: fc.integer({ min: 1, max: 3 }), used: fc.nat({ max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('use' as const), account: index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('spend' as const), account: index, code: index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('unspend' as const), account: index, code: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), account: index, name: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), account: index, service: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), account: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('print' as const), account: index }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('sync' as const), with: index }) },
);

/** A history: the replicas' steps, interleaved, and the order of the final exchange. */
export const history = fc.record({
  replicas: fc.integer({ min: 3, max: 4 }),
  steps: fc.array(fc.tuple(fc.nat({ max: 3 }), step), { minLength: 1, maxLength: 40 }),
  finalOrder: fc.array(fc.nat({ max: 3 }), { minLength: 4, maxLength: 8 }),
});

/** The state of one replica: its content and a context of its own (device, clock, ids). */
interface Replica {
  content: VaultContent;
  readonly device: string;
  minute: number;
  ids: number;
}

function contextOf(replica: Replica, r: number): Context {
  replica.minute += 1;
  const now = new Date(Date.UTC(2026, 0, 1, 0, replica.minute, r)).toISOString();
  return { now, device: replica.device, newId: () => `${replica.device.slice(0, 4)}${String((replica.ids += 1)).padStart(12, '0')}` };
}

/** Codes are unique to their replica and step, as a service's codes are. */
function codesFor(replica: Replica, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${replica.device.slice(0, 4)}-${replica.ids}-${replica.minute}-${i}`);
}

/**
 * Applies one step, then counts it in the replica's clock as a save does (the vault room ticks on every
 * save that changed something); a step the model refuses (no such code, a clash) changes nothing.
 */
function apply(replicas: Replica[], r: number, s: Step): void {
  const replica = replicas[r % replicas.length] as Replica;
  const before = replica.content;
  applyStep(replicas, r, s);
  if (s.kind !== 'sync' && replica.content !== before) replica.content = tick(replica.content, replica.device);
}

function applyStep(replicas: Replica[], r: number, s: Step): void {
  const replica = replicas[r % replicas.length] as Replica;
  const context = contextOf(replica, r);
  const accounts = replica.content.accounts;
  const pick = (n: number) => (accounts.length === 0 ? undefined : accounts[n % accounts.length]);
  try {
    switch (s.kind) {
      case 'add': {
        const codes = codesFor(replica, s.codes).map((code, i) => ({ code, used: i < s.used % s.codes }));
        replica.content = addBatch(replica.content, NAMES[s.name % NAMES.length] as string, codes, { source: 'typed' }, context).vault;
        return;
      }
      case 'use': {
        const account = pick(s.account);
        if (account) replica.content = useNextCode(replica.content, account.name, context).vault;
        return;
      }
      case 'spend':
      case 'unspend': {
        const account = pick(s.account);
        const batch = account && activeBatch(account);
        const code = batch?.codes[s.code % batch.codes.length];
        if (!account || !code) return;
        replica.content = (s.kind === 'spend' ? spendCode(replica.content, account.name, code.code, context) : unspendCode(replica.content, account.name, code.code, context)).vault;
        return;
      }
      case 'rename': {
        const account = pick(s.account);
        if (account) replica.content = renameAccount(replica.content, account.name, `${NAMES[s.name % NAMES.length]}-${s.name % 3}`, context).vault;
        return;
      }
      case 'edit': {
        const account = pick(s.account);
        const service = SERVICES[s.service % SERVICES.length] ?? undefined;
        if (account) replica.content = describeAccount(replica.content, account.id, { service, username: `user${s.service % 5}` }, context);
        return;
      }
      case 'remove': {
        const account = pick(s.account);
        if (account) replica.content = removeAccount(replica.content, account.name, context).vault;
        return;
      }
      case 'print': {
        const account = pick(s.account);
        const batch = account && activeBatch(account);
        if (account && batch) replica.content = markPrinted(replica.content, account.id, batch.id, context);
        return;
      }
      case 'sync': {
        const other = replicas[s.with % replicas.length] as Replica;
        const merged = mergeCopies(replica.content, other.content).content;
        replica.content = merged;
        other.content = merged;
        return;
      }
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

/** What a history leaves: each replica before the final exchange, and after it. */
export interface Outcome {
  readonly before: readonly VaultContent[];
  readonly after: readonly VaultContent[];
}

/** Runs a history: the interleaved steps, then every replica merges every other in the final order, twice round. */
export function run(h: { replicas: number; steps: [number, Step][]; finalOrder: number[] }): Outcome {
  const replicas: Replica[] = Array.from({ length: h.replicas }, (_, i) => ({
    content: { accounts: [], tombstones: [] },
    device: `${'0123456789abcdef'[i + 1]}`.repeat(16),
    minute: 0,
    ids: 0,
  }));
  for (const [r, s] of h.steps) apply(replicas, r, s);
  const before = replicas.map((replica) => replica.content);
  for (let round = 0; round < 2; round += 1) {
    for (const r of h.finalOrder) {
      const replica = replicas[r % replicas.length] as Replica;
      for (const other of replicas) if (other !== replica) replica.content = mergeCopies(replica.content, other.content).content;
    }
    for (const replica of replicas) for (const other of replicas) replica.content = mergeCopies(replica.content, other.content).content;
  }
  return { before, after: replicas.map((replica) => replica.content) };
}

/** Every spend (by batch, code and spend id) a content holds, with whether it stands. */
export function spendsOf(content: VaultContent): Map<string, boolean> {
  const spends = new Map<string, boolean>();
  for (const account of content.accounts) {
    for (const batch of account.batches) {
      for (const code of batch.codes) for (const mark of marksOf(code)) spends.set(`${batch.id} ${code.code} ${mark.id}`, mark.undoneAt === null);
    }
  }
  return spends;
}

/** The ids of every batch a content holds, and of every batch its tombstones removed. */
export function batchIds(content: VaultContent): { live: Set<string>; removed: Set<string> } {
  return {
    live: new Set(content.accounts.flatMap((account) => account.batches.map((batch) => batch.id))),
    removed: new Set(content.tombstones.flatMap((tombstone) => tombstone.batches ?? [])),
  };
}

/** The properties every history must meet; shared with the full run. */
export function checkHistory(h: Parameters<typeof run>[0]): void {
  const { before, after } = run(h);
  // Convergence: every replica holds the same content once all have met.
  const first = JSON.stringify(normalForm(after[0]!));
  for (const content of after) expect(JSON.stringify(normalForm(content))).toBe(first);
  const merged = after[0]!;
  expect(checkContent(merged)).toEqual([]);
  // Commutative and idempotent, pairwise, on the states before the final exchange.
  for (const a of before) {
    for (const b of before) {
      expect(JSON.stringify(normalForm(mergeCopies(a, b).content))).toBe(JSON.stringify(normalForm(mergeCopies(b, a).content)));
    }
    expect(JSON.stringify(normalForm(mergeCopies(a, a).content))).toBe(JSON.stringify(normalForm(mergeCopies(a, { accounts: [], tombstones: [] }).content)));
    expect(mergeCopies(merged, a).report.changed).toBe(false);
  }
  // Nothing lost: every spend any replica saw is in the result, unless a removal took its batch;
  // a spend stands in the result exactly when no replica had undone it.
  const { live, removed } = batchIds(merged);
  const result = spendsOf(merged);
  const undone = new Set<string>();
  for (const content of before) for (const [key, standing] of spendsOf(content)) if (!standing) undone.add(key);
  for (const content of before) {
    for (const [key] of spendsOf(content)) {
      const batch = key.split(' ')[0]!;
      if (removed.has(batch) && !live.has(batch)) continue;
      expect(result.has(key)).toBe(true);
      expect(result.get(key)).toBe(!undone.has(key));
    }
    // Every batch any replica held is in the result, or a removal that saw it took it.
    for (const account of content.accounts) for (const batch of account.batches) expect(live.has(batch.id) || removed.has(batch.id)).toBe(true);
  }
}

