// Proof (issue 5, "Secrets"): the buffers lifeboat owns — the passphrase bytes it derives from, both
// derived keys, every decrypted and every to-be-encrypted plaintext — are zero after use. Each is caught where
// it meets a library: libsodium (crypto_pwhash, crypto_generichash, the AEAD calls) or node:crypto (the ChaCha20
// and ChaCha20-Poly1305 ciphers of src/vault/crypto-native.ts, with the HChaCha20 subkey and block between them),
// and checked once the verb or the whole command has returned. What JavaScript cannot wipe is listed in
// docs/reliability.md.
import nodeCrypto, { type Cipher, type Decipher } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadCrypto } from '../../src/vault/crypto.js';
import { MINIMUM_COST } from '../../src/vault/format.js';
import { createVault, openVault } from '../../src/vault/vault-file.js';
import { smallContent } from './tamper.js';
import { figures, proofBox, randomPassphrase } from './support.js';

const report = figures();
const tally = { buffers: 0, zero: 0, runs: 0 };

beforeAll(async () => {
  await loadCrypto();
  await sodium.ready;
});
afterEach(() => vi.restoreAllMocks());

/** Spies on libsodium and collects every secret buffer that passes through it. */
function catchSecrets(): { label: string; bytes: Uint8Array }[] {
  const caught: { label: string; bytes: Uint8Array }[] = [];
  const pwhash = sodium.crypto_pwhash.bind(sodium);
  vi.spyOn(sodium, 'crypto_pwhash').mockImplementation((...args: Parameters<typeof sodium.crypto_pwhash>) => {
    const password: unknown = args[1];
    if (password instanceof Uint8Array) caught.push({ label: 'passphrase bytes', bytes: password });
    const out = pwhash(...args);
    const derived: unknown = out;
    if (derived instanceof Uint8Array) caught.push({ label: 'Argon2id output', bytes: derived });
    return out;
  });
  const generichash = sodium.crypto_generichash.bind(sodium);
  vi.spyOn(sodium, 'crypto_generichash').mockImplementation((...args: Parameters<typeof sodium.crypto_generichash>) => {
    if (args[2] instanceof Uint8Array) caught.push({ label: 'check key', bytes: args[2] });
    return generichash(...args);
  });
  const seal = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt.bind(sodium);
  vi.spyOn(sodium, 'crypto_aead_xchacha20poly1305_ietf_encrypt').mockImplementation((...args: Parameters<typeof seal>) => {
    if (args[0] instanceof Uint8Array) caught.push({ label: 'plaintext to encrypt', bytes: args[0] });
    if (args[4] instanceof Uint8Array) caught.push({ label: 'encryption key', bytes: args[4] });
    return seal(...args);
  });
  const open = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt.bind(sodium);
  vi.spyOn(sodium, 'crypto_aead_xchacha20poly1305_ietf_decrypt').mockImplementation((...args: Parameters<typeof open>) => {
    if (args[4] instanceof Uint8Array) caught.push({ label: 'encryption key', bytes: args[4] });
    const out = open(...args);
    const plain: unknown = out;
    if (plain instanceof Uint8Array) caught.push({ label: 'decrypted plaintext', bytes: plain });
    return out;
  });
  // node:crypto: the encryption key goes into HChaCha20 (a ChaCha20 block), the subkey into ChaCha20-Poly1305.
  const createCipheriv = nodeCrypto.createCipheriv.bind(nodeCrypto) as (...args: unknown[]) => Cipher;
  vi.spyOn(nodeCrypto, 'createCipheriv').mockImplementation(((algorithm: string, key: unknown, ...rest: unknown[]) => {
    const cipher = createCipheriv(algorithm, key, ...rest);
    if (algorithm !== 'chacha20' && algorithm !== 'chacha20-poly1305') return cipher;
    if (key instanceof Uint8Array) caught.push({ label: algorithm === 'chacha20' ? 'encryption key' : 'encryption subkey', bytes: key });
    const update = cipher.update.bind(cipher) as (data: Uint8Array) => Buffer;
    cipher.update = ((data: unknown) => {
      if (!(data instanceof Uint8Array)) throw new Error('the cipher was given something other than bytes');
      const out = update(data);
      // HChaCha20's block holds the subkey; ChaCha20-Poly1305's input is the plaintext.
      caught.push(algorithm === 'chacha20' ? { label: 'HChaCha20 block', bytes: out } : { label: 'plaintext to encrypt', bytes: data });
      return out;
    }) as Cipher['update'];
    return cipher;
  }) as unknown as typeof nodeCrypto.createCipheriv);
  const createDecipheriv = nodeCrypto.createDecipheriv.bind(nodeCrypto) as (...args: unknown[]) => Decipher;
  vi.spyOn(nodeCrypto, 'createDecipheriv').mockImplementation(((algorithm: string, key: unknown, ...rest: unknown[]) => {
    const decipher = createDecipheriv(algorithm, key, ...rest);
    if (key instanceof Uint8Array) caught.push({ label: 'encryption subkey', bytes: key });
    const update = decipher.update.bind(decipher) as (data: Uint8Array) => Buffer;
    decipher.update = ((data: Uint8Array) => {
      const out = update(data);
      caught.push({ label: 'decrypted plaintext', bytes: out });
      return out;
    }) as Decipher['update'];
    return decipher;
  }) as unknown as typeof nodeCrypto.createDecipheriv);
  return caught;
}

function notZero(caught: readonly { label: string; bytes: Uint8Array }[]): string[] {
  tally.runs += 1;
  tally.buffers += caught.length;
  const left = caught.filter((c) => c.bytes.some((byte) => byte !== 0));
  tally.zero += caught.length - left.length;
  return left.map((c) => `${c.label} (${c.bytes.length} bytes)`);
}

describe('buffers we own are zero after use', () => {
  it('openVault → update → rekey → close: passphrase copy, keys, plaintexts', async () => {
    const box = proofBox();
    try {
      const passphrase = new Uint8Array(Buffer.from(box.passphrase, 'utf8'));
      await createVault(box.vault, passphrase, MINIMUM_COST, smallContent(), { warn: () => undefined });
      const caught = catchSecrets();
      const vault = await openVault(box.vault, passphrase, { lockTimeoutMs: 10_000, warn: () => undefined, device: () => 'd0d0d0d0d0d0d0d0' });
      await vault.update((content) => ({ content: { ...content, tombstones: [{ id: 'x1', removedAt: '2025-01-01T00:00:00.000Z' }] }, result: null }));
      const next = new Uint8Array(Buffer.from(randomPassphrase(), 'utf8'));
      await vault.rekey(next, MINIMUM_COST);
      vault.close();
      // The caller's own arrays are the caller's to wipe (the CLI does, below); openVault worked on a copy.
      const ours = caught.filter((c) => c.bytes !== passphrase && c.bytes !== next);
      expect(ours.length).toBeGreaterThanOrEqual(6);
      // Each kind was caught: a spy that missed the cipher path would prove nothing about it.
      expect(new Set(ours.map((c) => c.label))).toEqual(
        new Set(['passphrase bytes', 'Argon2id output', 'check key', 'encryption key', 'HChaCha20 block', 'encryption subkey', 'plaintext to encrypt', 'decrypted plaintext']),
      );
      expect(notZero(ours)).toEqual([]);
    } finally {
      box.cleanup();
    }
  });

  it('whole commands in-process (init, add, use, passwd, list): every buffer that met libsodium or node:crypto is zero when main returns', async () => {
    const box = proofBox();
    try {
      const run = async (argv: string[], env: Record<string, string> = {}, input = ''): Promise<number> => {
        const stdin = new PassThrough();
        stdin.end(input);
        const io = {
          stdout: new PassThrough(),
          stderr: new PassThrough(),
          stdin,
          stdinIsTty: false,
          stdoutIsTty: false,
          env: { LIFEBOAT_VAULT: box.vault, LIFEBOAT_PASSPHRASE_FILE: box.passphraseFile, LIFEBOAT_INSECURE_TEST_KDF: '1', XDG_STATE_HOME: path.join(box.dir, 'state'), ...env },
        };
        return main(argv, io);
      };
      const caught = catchSecrets();
      expect(await run(['init'])).toBe(0);
      expect(await run(['add', 'alpha'], {}, '1111 2222\n3333 4444\n')).toBe(0);
      expect(await run(['use', 'alpha'])).toBe(0);
      const newFile = path.join(box.dir, 'new.txt');
      const next = randomPassphrase();
      fs.writeFileSync(newFile, `${next}\n`);
      expect(await run(['passwd'], { LIFEBOAT_NEW_PASSPHRASE_FILE: newFile })).toBe(0);
      fs.writeFileSync(box.passphraseFile, `${next}\n`);
      expect(await run(['list'])).toBe(0);
      expect(caught.filter((c) => c.label === 'passphrase bytes').length).toBeGreaterThanOrEqual(5);
      expect(caught.filter((c) => c.label === 'decrypted plaintext').length).toBeGreaterThanOrEqual(4);
      expect(caught.filter((c) => c.label === 'plaintext to encrypt').length).toBeGreaterThanOrEqual(3);
      expect(notZero(caught)).toEqual([]);
    } finally {
      box.cleanup();
    }
    report.push(`memzero: ${tally.zero}/${tally.buffers} secret buffers (passphrase bytes, Argon2id output, both keys, the HChaCha20 subkey and block, plaintexts) zero after use, over ${tally.runs} flows`);
  });
});
