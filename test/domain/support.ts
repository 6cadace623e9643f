import { expect } from 'vitest';
import { codeKey, displayCode, DomainError, type Account, type Batch, type Code, type Context, type DomainErrorKind, type IncomingCode, type VaultContent } from '../../src/domain/index.js';

/**
 * Builders and checks shared by the domain tests (and the output and cli tests that need a vault).
 * Nothing here reads a clock or randomness: every time and id is fixed, so every expected value is
 * written down rather than computed by the code under test.
 */

/** The device id of these tests. */
export const DEVICE = 'd0d0d0d0d0d0d0d0';

/** The fixed clock of these tests. */
export const NOW = '2026-11-01T10:00:00.000Z';

/** Ids `id-0001`, `id-0002`, … in order; zero-padded so that string order is creation order. */
export function counterIds(prefix = 'id'): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `${prefix}-${String(n).padStart(4, '0')}`;
  };
}

/** A fresh context: the fixed clock (or `now`) and its own id counter. */
export function makeContext(now: string = NOW): Context {
  return { now, newId: counterIds(), device: DEVICE };
}

/** Freezes a value and everything it holds, so that any mutation throws (test files are ES modules: strict mode). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/**
 * Runs a transition on a deep-frozen vault and checks that the input came out exactly as it went in.
 * Returns what the transition returned; rethrows what it threw, after checking the input again.
 */
export function pure<T>(vault: VaultContent, transition: (vault: VaultContent) => T): T {
  const before = structuredClone(vault);
  deepFreeze(vault);
  try {
    return transition(vault);
  } finally {
    expect(vault).toEqual(before);
  }
}

/** Incoming codes, none marked used, except those at the given (0-based) positions. */
export function incoming(codes: readonly string[], usedAt: readonly number[] = []): IncomingCode[] {
  return codes.map((code, i) => ({ code, used: usedAt.includes(i) }));
}

/** A stored code. */
export function code(text: string, spentAt: string | null = null): Code {
  return { code: text, spentAt };
}

/** A stored batch; `codes` may mix strings (unspent) and full codes. */
export function batch(id: string, addedAt: string, codes: readonly (string | Code)[], extra: Partial<Batch> = {}): Batch {
  return {
    id,
    addedAt,
    source: 'typed',
    supersededAt: null,
    printedAt: null,
    copiedAt: null,
    codes: codes.map((c) => (typeof c === 'string' ? code(c) : c)),
    ...extra,
  };
}

/** A stored account. */
export function account(id: string, name: string, batches: readonly Batch[], extra: Partial<Account> = {}): Account {
  return { id, name, service: null, username: null, note: null, createdAt: '2026-01-01T00:00:00.000Z', batches, ...extra };
}

/** A vault of these accounts and no tombstones. */
export function vaultOf(...accounts: Account[]): VaultContent {
  return { accounts, tombstones: [] };
}

/** Runs `f`, expects it to throw a DomainError of this kind, and returns the error. */
export function domainError(kind: DomainErrorKind, f: () => unknown): DomainError {
  let caught: unknown;
  try {
    f();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a DomainError ${kind}`).toBeInstanceOf(DomainError);
  const error = caught as DomainError;
  expect(error.kind).toBe(kind);
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

/** Asserts that an error's message and hint hold none of these codes, in display form, as key, or spread out. */
export function expectNoCodeIn(error: { readonly message: string; readonly details?: { readonly hint?: string } }, codes: readonly string[]): void {
  const texts = [error.message, error.details?.hint ?? ''];
  for (const text of texts) {
    const squashed = text.replace(/[\s-]+/g, '').toLowerCase();
    for (const c of codes) {
      expect(text).not.toContain(displayCode(c));
      expect(text.toLowerCase()).not.toContain(codeKey(c));
      expect(squashed).not.toContain(codeKey(c));
    }
  }
}
