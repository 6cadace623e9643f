// Unit tests of describeFailure, the one mapping from a thrown value to an exit status and a message:
// every domain and vault error kind, usage, cancellation, and unknown errors whose message is never echoed.
import { describe, expect, it } from 'vitest';
import { Cancelled, CliError, UsageError } from '../../src/cli/errors.js';
import { describeFailure } from '../../src/cli/failure.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { DomainError, emptyVault, spendCode, useNextCode, addBatch, type DomainErrorKind } from '../../src/domain/index.js';
import { UNOPENABLE, VaultError, type VaultErrorKind } from '../../src/vault/index.js';
import { counterIds, incoming } from '../domain/support.js';

// The documented statuses, written as numbers on purpose: the test pins the promise, not the constant.
const ERROR = 1;
const USAGE = 2;
const UNOPENABLE_STATUS = 3;
const NOTHING = 4;
const CANCELLED = 130;

const DOMAIN_STATUS: Record<DomainErrorKind, number> = {
  'no-such-account': NOTHING,
  'no-code-left': NOTHING,
  'unknown-code': NOTHING,
  'ambiguous-account': USAGE,
  'invalid-name': USAGE,
  'account-exists': ERROR,
  'already-spent': ERROR,
  'not-spent': ERROR,
  'empty-batch': ERROR,
  'duplicate-code': ERROR,
  'invalid-code': ERROR,
  'superseded-batch': ERROR,
  'partial-batch': ERROR,
  'invalid-import': ERROR,
};

const VAULT_STATUS: Record<VaultErrorKind, number> = {
  'wrong-passphrase': UNOPENABLE_STATUS,
  damaged: UNOPENABLE_STATUS,
  'not-a-vault': UNOPENABLE_STATUS,
  'unsupported-version': UNOPENABLE_STATUS,
  'kdf-limit': UNOPENABLE_STATUS,
  'bad-cost': USAGE,
  missing: ERROR,
  exists: ERROR,
  locked: ERROR,
  'changed-on-disk': ERROR,
  io: ERROR,
  'durability-unknown': ERROR,
  'unsafe-path': ERROR,
  'invalid-content': ERROR,
};

/** What `@inquirer/prompts` throws on Ctrl+C; matched by name, as main sees it when a prompt escapes the adapter. */
class ExitPromptError extends Error {
  override name = 'ExitPromptError';
}

describe('exit statuses', () => {
  it('are the documented numbers', () => {
    expect(EXIT).toEqual({ ok: 0, error: ERROR, usage: USAGE, unopenable: UNOPENABLE_STATUS, nothing: NOTHING, cancelled: CANCELLED });
  });
});

describe('describeFailure', () => {
  it.each(Object.entries(DOMAIN_STATUS) as [DomainErrorKind, number][])('maps the domain error %s to exit %i, with its message and hint', (kind, status) => {
    const failure = describeFailure(new DomainError(kind, `message of ${kind}`, { hint: `hint of ${kind}` }));
    expect(failure).toEqual({ exitCode: status, message: `message of ${kind}`, hint: `hint of ${kind}`, internal: false });
  });

  it('maps real refusals of the model: no such account, no code left and unknown code are "nothing" (4)', () => {
    const ctx = { now: '2026-11-01T10:00:00.000Z', newId: counterIds(), device: 'd0d0d0d0d0d0d0d0' };
    const vault = addBatch(emptyVault(), 'instagram', incoming(['1111 2222'], [0]), { source: 'typed' }, ctx).vault;
    const thrown = (f: () => unknown): unknown => {
      try {
        f();
      } catch (error) {
        return error;
      }
      throw new Error('expected a throw');
    };
    expect(describeFailure(thrown(() => useNextCode(vault, 'twitter', ctx))).exitCode).toBe(NOTHING);
    expect(describeFailure(thrown(() => useNextCode(vault, 'instagram', ctx))).exitCode).toBe(NOTHING);
    expect(describeFailure(thrown(() => spendCode(vault, 'instagram', '3333 4444', ctx))).exitCode).toBe(NOTHING);
    expect(describeFailure(thrown(() => spendCode(vault, 'instagram', '1111 2222', ctx))).exitCode).toBe(ERROR);
  });

  it.each(Object.entries(VAULT_STATUS) as [VaultErrorKind, number][])('maps the vault error %s to exit %i, with its message and hint', (kind, status) => {
    const failure = describeFailure(new VaultError(kind, `message of ${kind}`, `hint of ${kind}`));
    expect(failure).toEqual({ exitCode: status, message: `message of ${kind}`, hint: `hint of ${kind}`, internal: false });
  });

  it('agrees with the vault on which kinds mean "cannot be opened"', () => {
    expect([...UNOPENABLE].sort()).toEqual(['damaged', 'kdf-limit', 'not-a-vault', 'unsupported-version', 'wrong-passphrase']);
  });

  it('maps a usage error to 2, with its hint', () => {
    expect(describeFailure(new UsageError('missing argument <account>', 'run `lifeboat use <account>`'))).toEqual({
      exitCode: USAGE,
      message: 'missing argument <account>',
      hint: 'run `lifeboat use <account>`',
      internal: false,
    });
  });

  it('maps a command-line error to 1, or to the status it carries', () => {
    expect(describeFailure(new CliError('no clipboard', { hint: 'install xclip' }))).toEqual({
      exitCode: ERROR,
      message: 'no clipboard',
      hint: 'install xclip',
      internal: false,
    });
    expect(describeFailure(new CliError('no terminal', { exitCode: EXIT.usage })).exitCode).toBe(USAGE);
  });

  it('maps Cancelled and an escaped ExitPromptError to 130, saying nothing was changed', () => {
    for (const error of [new Cancelled(), new ExitPromptError('User force closed the prompt with SIGINT')]) {
      expect(describeFailure(error)).toEqual({ exitCode: CANCELLED, message: 'cancelled: nothing was changed', hint: undefined, internal: false });
    }
  });

  it('never echoes the message of an error it does not know, and asks for a report', () => {
    const secret = 'abcd-efgh 7391 0465 correct horse';
    for (const error of [new Error(secret), new TypeError(secret), new RangeError(secret), Object.assign(new Error(secret), { hint: secret })]) {
      const failure = describeFailure(error);
      expect(failure.exitCode).toBe(ERROR);
      expect(failure.internal).toBe(true);
      expect(failure.message).toContain('please report');
      expect(failure.message).toContain(error.name);
      for (const text of [failure.message, failure.hint ?? '']) {
        expect(text).not.toContain('abcd');
        expect(text).not.toContain('7391');
        expect(text).not.toContain('horse');
      }
    }
  });

  it('describes a thrown non-error by its type only', () => {
    for (const [value, type] of [
      ['abcd-efgh', 'string'],
      [42, 'number'],
      [undefined, 'undefined'],
      [{ message: 'abcd-efgh' }, 'object'],
    ] as const) {
      const failure = describeFailure(value);
      expect(failure).toMatchObject({ exitCode: ERROR, internal: true });
      expect(failure.message).toContain(`(${type})`);
      expect(failure.message).not.toContain('abcd');
    }
  });

  it('does not take an unknown error for a known one because of its name', () => {
    const lookalike = Object.assign(new Error('abcd-efgh'), { name: 'UsageError', kind: 'no-such-account' });
    expect(describeFailure(lookalike)).toMatchObject({ exitCode: ERROR, internal: true });
  });
});
