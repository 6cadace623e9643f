import {
  activeBatch,
  findAccountExact,
  remainingCodes,
  replaceAccount,
  replaceBatch,
  resolveAccount,
  supersededSince,
  validateAccountName,
} from './accounts.js';
import { codeKey, codeKeysOf, displayCode } from './code-text.js';
import { DomainError } from './errors.js';
import type { Account, AccountStamps, Batch, Code, VaultContent } from './model.js';
import { marksOf, nextStamp, stampsOf, withMarks } from './stamps.js';
import { validateCodeText } from './validate.js';

/**
 * State changes of the vault. Each one is pure: it takes the vault, the clock and an id source, and
 * returns the new vault with what happened, for the command line to word and save. None of them prints,
 * prompts or reads the clock itself.
 */

/** What every change needs from the outside world. */
export interface Context {
  /** The current time, as an ISO 8601 string in UTC. */
  readonly now: string;
  /** A fresh random id for a new account, batch or spend. */
  readonly newId: () => string;
  /** This device's id, which stamps its changes (docs/vault-format.md, "Merging copies"). */
  readonly device: string;
}

/** One code as it arrives for a new batch, with whether the source marked it as already used. */
export interface IncomingCode {
  readonly code: string;
  readonly used: boolean;
}

/** What `addBatch` did. */
export type AddOutcome =
  | { readonly kind: 'created-account'; readonly account: Account; readonly batch: Batch }
  | { readonly kind: 'added'; readonly account: Account; readonly batch: Batch }
  | {
      readonly kind: 'superseded';
      readonly account: Account;
      readonly batch: Batch;
      readonly old: Batch;
      /** How many of the old batch's codes were never used. */
      readonly oldUnspent: number;
    }
  | {
      readonly kind: 'merged';
      readonly account: Account;
      readonly batch: Batch;
      /** How many codes this re-add marked as spent that were not before. */
      readonly newlySpent: number;
      /** Whether the batch the user gave was superseded already (only with `asSuperseded`). */
      readonly superseded: boolean;
    }
  | { readonly kind: 'stored-as-history'; readonly account: Account; readonly batch: Batch };

/** Options of `addBatch`. */
export interface AddOptions {
  /** Where the codes came from (see `Batch.source`). */
  readonly source: string;
  /** Store a batch the service no longer accepts as history instead of refusing it. */
  readonly asSuperseded?: boolean;
}

/** Checks a new batch: not empty, each code sensible, no code twice. Returns the codes in display form. */
function validateIncoming(codes: readonly IncomingCode[]): IncomingCode[] {
  if (codes.length === 0) {
    throw new DomainError('empty-batch', 'no codes were given', {
      hint: 'give one code per line, on standard input or with --file',
    });
  }
  const seen = new Map<string, number>();
  return codes.map((incoming, index) => {
    const code = displayCode(incoming.code);
    const key = codeKey(code);
    validateCodeText(code, `code ${index + 1}`);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new DomainError('duplicate-code', `codes ${first + 1} and ${index + 1} are the same code`, {
        hint: 'a batch holds each code once: check the input',
      });
    }
    seen.set(key, index);
    return { code, used: incoming.used };
  });
}

/** The keys of a batch's codes. */
function keysOf(batch: Batch): Set<string> {
  return new Set(batch.codes.map((code) => codeKey(code.code)));
}

/** Merges spent marks from a re-added copy of a batch into the stored batch; marks only move forward. */
function mergeSpentMarks(batch: Batch, incoming: readonly IncomingCode[], context: Pick<Context, 'now' | 'newId'>): { batch: Batch; newlySpent: number } {
  const used = new Set(incoming.filter((code) => code.used).map((code) => codeKey(code.code)));
  let newlySpent = 0;
  const codes = batch.codes.map((code): Code => {
    if (code.spentAt === null && used.has(codeKey(code.code))) {
      newlySpent += 1;
      return spend(code, context);
    }
    return code;
  });
  return { batch: { ...batch, codes }, newlySpent };
}

/**
 * Stores a batch of codes for an account, creating the account if needed.
 *
 * - New codes for an account with an active batch supersede it (outcome `superseded`).
 * - Codes that overlap the active batch are that batch seen again: spent marks are merged and nothing is
 *   superseded (outcome `merged`); a copy with codes the stored batch lacks is refused (`partial-batch`).
 * - Codes that overlap a superseded batch are refused (`superseded-batch`), unless `asSuperseded` is set,
 *   which merges them into that batch, or stores a batch nobody has seen as history.
 */
export function addBatch(
  vault: VaultContent,
  accountName: string,
  codes: readonly IncomingCode[],
  options: AddOptions,
  context: Context,
): { vault: VaultContent; outcome: AddOutcome } {
  const name = validateAccountName(accountName);
  const incoming = validateIncoming(codes);
  const incomingKeys = new Set(incoming.map((code) => codeKey(code.code)));
  const existing = findAccountExact(vault, name);
  const stamp = nextStamp(vault, context.device);
  const newBatch = (supersededAt: string | null): Batch => ({
    id: context.newId(),
    addedAt: context.now,
    source: options.source,
    supersededAt,
    printedAt: null,
    copiedAt: null,
    codes: incoming.map((code) => (code.used ? spend({ code: code.code, spentAt: null }, context) : { code: code.code, spentAt: null })),
    seq: stamp,
  });

  if (!existing) {
    const batch = newBatch(options.asSuperseded ? context.now : null);
    const account: Account = {
      id: context.newId(),
      name,
      service: null,
      username: null,
      note: null,
      createdAt: context.now,
      batches: [batch],
      stamps: { name: stamp, service: stamp, username: stamp, note: stamp },
    };
    return {
      vault: { ...vault, accounts: [...vault.accounts, account] },
      outcome: options.asSuperseded ? { kind: 'stored-as-history', account, batch } : { kind: 'created-account', account, batch },
    };
  }

  const active = activeBatch(existing);
  const overlapping = existing.batches.filter((batch) => [...keysOf(batch)].some((key) => incomingKeys.has(key)));
  const seenBefore = overlapping.find((batch) => batch.id === active?.id) ?? overlapping[0];

  if (seenBefore) {
    const isActiveBatch = seenBefore.id === active?.id;
    if (!isActiveBatch && !options.asSuperseded) {
      throw new DomainError(
        'superseded-batch',
        `these codes belong to a batch of ${existing.name} that was replaced on ${day(supersededSince(existing, seenBefore) ?? context.now)}: the service no longer accepts them`,
        { hint: 'nothing was stored; add them with --as-superseded to keep them as history' },
      );
    }
    const stored = keysOf(seenBefore);
    const extra = [...incomingKeys].filter((key) => !stored.has(key)).length;
    if (extra > 0) {
      throw new DomainError(
        'partial-batch',
        `${incomingKeys.size - extra} of these codes are in a stored batch of ${existing.name} but ${extra} are not`,
        { hint: 'nothing was stored; give either the whole batch again or a new batch' },
      );
    }
    const { batch, newlySpent } = mergeSpentMarks(seenBefore, incoming, context);
    const account = replaceBatch(existing, batch);
    return {
      vault: replaceAccount(vault, account),
      outcome: { kind: 'merged', account, batch, newlySpent, superseded: !isActiveBatch },
    };
  }

  if (options.asSuperseded) {
    const batch = newBatch(context.now);
    const account = { ...existing, batches: [...existing.batches, batch] };
    return { vault: replaceAccount(vault, account), outcome: { kind: 'stored-as-history', account, batch } };
  }

  const batch = newBatch(null);
  if (!active) {
    const account = { ...existing, batches: [...existing.batches, batch] };
    return { vault: replaceAccount(vault, account), outcome: { kind: 'added', account, batch } };
  }
  const old: Batch = { ...active, supersededAt: context.now };
  const withOld = replaceBatch(existing, old);
  const account = { ...withOld, batches: [...withOld.batches, batch] };
  return {
    vault: replaceAccount(vault, account),
    outcome: { kind: 'superseded', account, batch, old, oldUnspent: remainingCodes(active) },
  };
}

/**
 * Hands out the next unspent code of an account's active batch and marks it spent.
 * Throws `no-code-left` when the batch is used up (or the account has no active batch).
 */
export function useNextCode(
  vault: VaultContent,
  query: string,
  context: Pick<Context, 'now' | 'newId'>,
): { vault: VaultContent; account: Account; batch: Batch; code: string; remaining: number } {
  const account = resolveAccount(vault, query);
  const batch = activeBatch(account);
  const index = batch ? batch.codes.findIndex((code) => code.spentAt === null) : -1;
  if (!batch || index < 0) {
    throw new DomainError('no-code-left', `no unspent code left for ${account.name}`, {
      hint: `generate new codes at the service, then run \`lifeboat add ${account.name}\``,
    });
  }
  const codes = batch.codes.map((code, i) => (i === index ? spend(code, context) : code));
  const updatedBatch = { ...batch, codes };
  const updatedAccount = replaceBatch(account, updatedBatch);
  return {
    vault: replaceAccount(vault, updatedAccount),
    account: updatedAccount,
    batch: updatedBatch,
    code: codes[index]?.code ?? '',
    remaining: remainingCodes(updatedBatch),
  };
}

/** Where a typed code was found in one account. */
interface Located {
  readonly batch: Batch;
  readonly index: number;
  readonly active: boolean;
}

/** Finds a typed code in an account, preferring its active batch. */
function locate(account: Account, typed: string): Located | undefined {
  const key = codeKey(typed);
  const active = activeBatch(account);
  const ordered = [...account.batches].sort((a, b) => Number(b.id === active?.id) - Number(a.id === active?.id));
  for (const batch of ordered) {
    const index = codeKeysOf(batch).indexOf(key);
    if (index >= 0) return { batch, index, active: batch.id === active?.id };
  }
  return undefined;
}

/** What `spendCode` and `unspendCode` did. */
export interface MarkOutcome {
  readonly vault: VaultContent;
  readonly account: Account;
  readonly batch: Batch;
  /** Whether the code's batch is still the active one (if not, the service no longer accepts it). */
  readonly active: boolean;
  readonly remaining: number;
}

/**
 * Marks a code the user typed at a login screen as spent.
 * Throws `unknown-code` when the account has no such code, `already-spent` (with when) when it was used.
 */
export function spendCode(vault: VaultContent, query: string, typed: string, context: Pick<Context, 'now' | 'newId'>): MarkOutcome {
  return mark(vault, query, typed, 'spend', context);
}

/**
 * Undoes a spent mark, for a code that was handed out but never used. It undoes the spends this copy
 * has seen; a spend made on another device meanwhile still counts after a merge (rule M3).
 */
export function unspendCode(vault: VaultContent, query: string, typed: string, context: Pick<Context, 'now'>): MarkOutcome {
  return mark(vault, query, typed, 'unspend', { now: context.now, newId: () => '' });
}

/** A code with one more spend (a new event id, now). */
function spend(code: Code, context: Pick<Context, 'now' | 'newId'>): Code {
  return withMarks(code, [...marksOf(code), { id: context.newId(), at: context.now, undoneAt: null }]);
}

/** A code whose standing spends are all undone now. */
function unspend(code: Code, now: string): Code {
  return withMarks(code, marksOf(code).map((mark) => (mark.undoneAt === null ? { ...mark, undoneAt: now } : mark)));
}

function mark(vault: VaultContent, query: string, typed: string, action: 'spend' | 'unspend', context: Pick<Context, 'now' | 'newId'>): MarkOutcome {
  const account = resolveAccount(vault, query);
  const found = locate(account, typed);
  if (!found) {
    throw new DomainError('unknown-code', `${account.name} has no such code`, {
      hint: `run \`lifeboat check\` to search every account`,
    });
  }
  const current = found.batch.codes[found.index];
  if (action === 'spend' && current?.spentAt) {
    throw new DomainError('already-spent', `that code of ${account.name} was already spent on ${when(current.spentAt)}`);
  }
  if (action === 'unspend' && current?.spentAt === null) {
    throw new DomainError('not-spent', `that code of ${account.name} is not spent`);
  }
  const codes = found.batch.codes.map((code, i) => (i !== found.index ? code : action === 'spend' ? spend(code, context) : unspend(code, context.now)));
  const batch = { ...found.batch, codes };
  const updated = replaceBatch(account, batch);
  const active = activeBatch(updated);
  return {
    vault: replaceAccount(vault, updated),
    account: updated,
    batch,
    active: found.active,
    remaining: active ? remainingCodes(active) : 0,
  };
}

/** One place a checked code was found. */
export interface CheckMatch {
  readonly account: string;
  readonly batch: string;
  readonly state: 'unspent' | 'spent' | 'superseded';
  readonly spentAt: string | null;
  readonly batchAddedAt: string;
  readonly supersededAt: string | null;
}

/** The verdict of `checkCode`: unspent if any match still works, else spent, else superseded, else unknown. */
export interface CheckResult {
  readonly state: 'unspent' | 'spent' | 'superseded' | 'unknown';
  readonly match: CheckMatch | null;
  readonly matches: readonly CheckMatch[];
}

const VERDICT_ORDER = ['unspent', 'spent', 'superseded'] as const;

/** Where a code stands across every account: "I remember some old codes, do they still work?" */
export function checkCode(vault: VaultContent, typed: string): CheckResult {
  const key = codeKey(typed);
  const matches: CheckMatch[] = [];
  for (const account of vault.accounts) {
    const active = activeBatch(account);
    for (const batch of account.batches) {
      const keys = codeKeysOf(batch);
      for (let k = 0; k < keys.length; k += 1) {
        if (keys[k] !== key) continue;
        const code = batch.codes[k]!;
        const isActive = batch.id === active?.id;
        matches.push({
          account: account.name,
          batch: batch.id,
          state: !isActive ? 'superseded' : code.spentAt ? 'spent' : 'unspent',
          spentAt: code.spentAt,
          batchAddedAt: batch.addedAt,
          supersededAt: supersededSince(account, batch),
        });
      }
    }
  }
  for (const state of VERDICT_ORDER) {
    const match = matches.find((m) => m.state === state);
    if (match) return { state, match, matches };
  }
  return { state: 'unknown', match: null, matches };
}

/** Gives an account a new name. Throws `account-exists` when another account has it already. */
export function renameAccount(
  vault: VaultContent,
  query: string,
  newName: string,
  context: Pick<Context, 'device'>,
): { vault: VaultContent; account: Account; oldName: string } {
  const account = resolveAccount(vault, query);
  const name = validateAccountName(newName);
  const clash = findAccountExact(vault, name);
  if (clash && clash.id !== account.id) {
    throw new DomainError('account-exists', `an account named "${clash.name}" already exists`);
  }
  const renamed = { ...account, name, stamps: restamp(account, ['name'], nextStamp(vault, context.device)) };
  return { vault: replaceAccount(vault, renamed), account: renamed, oldName: account.name };
}

/**
 * Removes an account given by its exact name. Its codes are gone; a tombstone keeps its id, the time and
 * the ids of the batches it removed, so a later merge of two copies does not bring them back (but does
 * keep a batch added on another device that this removal never saw: rule M5).
 */
export function removeAccount(vault: VaultContent, name: string, context: Pick<Context, 'now'>): { vault: VaultContent; account: Account; unspent: number } {
  const account = findAccountExact(vault, name);
  if (!account) {
    throw new DomainError('no-such-account', `no account named "${name}"`, {
      hint: 'remove takes the exact name: run `lifeboat list` to see your accounts',
    });
  }
  const active = activeBatch(account);
  return {
    vault: {
      ...vault,
      accounts: vault.accounts.filter((other) => other.id !== account.id),
      tombstones: [...vault.tombstones, { id: account.id, removedAt: context.now, batches: account.batches.map((batch) => batch.id) }],
    },
    account,
    unspent: active ? remainingCodes(active) : 0,
  };
}

/**
 * Marks spent again the codes this device saw spent that a copy gone back in time shows unspent (a
 * rollback: docs/vault-format.md, section 10). `keys` are `<batch id>:<position>`. Returns how many.
 */
export function respend(vault: VaultContent, keys: ReadonlySet<string>, context: Pick<Context, 'now' | 'newId'>): { vault: VaultContent; restored: number } {
  let restored = 0;
  const accounts = vault.accounts.map((account) => {
    let changed = false;
    const batches = account.batches.map((batch) => {
      const codes = batch.codes.map((code, i) => {
        if (code.spentAt !== null || !keys.has(`${batch.id}:${i}`)) return code;
        restored += 1;
        changed = true;
        return spend(code, context);
      });
      return codes.some((code, i) => code !== batch.codes[i]) ? { ...batch, codes } : batch;
    });
    return changed ? { ...account, batches } : account;
  });
  return { vault: restored === 0 ? vault : { ...vault, accounts }, restored };
}

/** Records that a batch was printed on a sheet, so that replacing it can call the sheet in. */
export function markPrinted(vault: VaultContent, accountId: string, batchId: string, context: Pick<Context, 'now'>): VaultContent {
  return markHandedOut(vault, accountId, batchId, { printedAt: context.now });
}

/** Records that a batch's unspent codes were copied or shown as a QR code in full. */
export function markCopied(vault: VaultContent, accountId: string, batchId: string, context: Pick<Context, 'now'>): VaultContent {
  return markHandedOut(vault, accountId, batchId, { copiedAt: context.now });
}

function markHandedOut(vault: VaultContent, accountId: string, batchId: string, change: Partial<Pick<Batch, 'printedAt' | 'copiedAt'>>): VaultContent {
  const account = vault.accounts.find((candidate) => candidate.id === accountId);
  const batch = account?.batches.find((candidate) => candidate.id === batchId);
  if (!account || !batch) return vault;
  return replaceAccount(vault, replaceBatch(account, { ...batch, ...change }));
}

/** The date part of an ISO time, as shown in messages. */
export function day(iso: string): string {
  return iso.slice(0, 10);
}

/** An ISO time as shown in messages: date and minutes, UTC. */
export function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Details of an account the user or a recognized file can give; an absent one is left as it is. */
export interface AccountDetails {
  readonly service?: string | undefined;
  readonly username?: string | undefined;
}

/** Sets the service and username of an account where given, keeping what it had otherwise. */
export function describeAccount(vault: VaultContent, accountId: string, details: AccountDetails, context: Pick<Context, 'device'>): VaultContent {
  const account = vault.accounts.find((candidate) => candidate.id === accountId);
  if (!account) return vault;
  const service = details.service ?? account.service;
  const username = details.username ?? account.username;
  const changed = [...(service !== account.service ? ['service' as const] : []), ...(username !== account.username ? ['username' as const] : [])];
  if (changed.length === 0) return vault;
  return replaceAccount(vault, { ...account, service, username, stamps: restamp(account, changed, nextStamp(vault, context.device)) });
}

/** An account's field stamps with the given fields changed now. */
export function restamp(account: Account, fields: readonly (keyof AccountStamps)[], stamp: AccountStamps['name']): AccountStamps {
  const stamps = { ...stampsOf(account) };
  for (const field of fields) stamps[field] = stamp;
  return stamps;
}
