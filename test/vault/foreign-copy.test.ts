// readVaultCopy reads a file that is not the vault itself (issue 11, finding 8): a cost above what the caller agreed
// to (by default, the default cost) is refused before any derivation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { loadCrypto } from '../../src/vault/crypto.js';
import { VaultError } from '../../src/vault/errors.js';
import { encryptVault, isAboveDefault } from '../../src/vault/format.js';
import { readVaultCopy } from '../../src/vault/vault-file.js';
import { smallContent } from '../proof/tamper.js';
import { passphraseBytes } from '../support/vectors.js';

const PASSPHRASE = passphraseBytes('an export');
let dir: string;
beforeAll(async () => {
  await loadCrypto();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-copy-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it('tells costs above the default apart', () => {
  expect(isAboveDefault({ passes: 3, memoryKiB: 64 * 1024 })).toBe(false);
  expect(isAboveDefault({ passes: 1, memoryKiB: 8 })).toBe(false);
  expect(isAboveDefault({ passes: 4, memoryKiB: 8 })).toBe(true);
  expect(isAboveDefault({ passes: 1, memoryKiB: 64 * 1024 + 1 })).toBe(true);
});

it('refuses a copy above the agreed cost with kdf-limit, and reads it once that cost is agreed to', async () => {
  const file = path.join(dir, 'export.lifeboat');
  const content = smallContent();
  fs.writeFileSync(file, encryptVault(content, PASSPHRASE, { passes: 4, memoryKiB: 8 }));
  const error = await readVaultCopy(file, PASSPHRASE).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(VaultError);
  expect((error as VaultError).kind).toBe('kdf-limit');
  await expect(readVaultCopy(file, PASSPHRASE, { passes: 3, memoryKiB: 1024 * 1024 })).rejects.toMatchObject({ kind: 'kdf-limit' });
  expect(await readVaultCopy(file, PASSPHRASE, { passes: 4, memoryKiB: 8 })).toEqual(content);
});
