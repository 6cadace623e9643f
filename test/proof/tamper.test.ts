// Proof (issue 5, "Format and crypto"): every single-bit flip and every truncation of a small vault is
// rejected with its region's message (docs/vault-format.md 2.3), header damage before any key derivation;
// an absurd key-derivation cost is refused before derivation; the three unopenable fixtures each get their
// own message and stay byte-identical. The 200 sampled flips through the binary are in tamper.slow.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCrypto } from '../../src/vault/crypto.js';
import { VaultError } from '../../src/vault/errors.js';
import { CIPHERTEXT_OFFSET, MINIMUM_COST, decryptVault, decryptWithKeys, deriveForHeader, encryptVault, parseHeader } from '../../src/vault/format.js';
import { VECTORS_FOLDER, flipBit, loadVectors, withChecksum, withUint } from '../support/vectors.js';
import { binaryFlips, regionOf, smallContent, type Region } from './tamper.js';
import { STACK_TRACE, figures, namesIn, proofBox } from './support.js';

const report = figures();
const PASSPHRASE = new Uint8Array(Buffer.from('proof: correct horse battery staple', 'utf8'));
let vault: Uint8Array;
let derivations = 0;

beforeAll(async () => {
  await loadCrypto();
  await sodium.ready;
  vault = encryptVault(smallContent(), PASSPHRASE, MINIMUM_COST);
});

/** Counts every Argon2id derivation libsodium is asked for while `work` runs. */
function countingDerivations<T>(work: () => T): T {
  const real = sodium.crypto_pwhash.bind(sodium);
  const spy = vi.spyOn(sodium, 'crypto_pwhash').mockImplementation((...args: Parameters<typeof sodium.crypto_pwhash>) => {
    derivations += 1;
    return real(...args);
  });
  try {
    return work();
  } finally {
    spy.mockRestore();
  }
}

function kindOf(work: () => unknown): string {
  try {
    work();
    return 'accepted';
  } catch (error) {
    if (error instanceof VaultError) return error.kind;
    return `threw ${(error as Error).name}`;
  }
}

afterEach(() => {
  derivations = 0;
});

describe('every single-bit flip of a small vault, in-process', () => {
  it('is rejected with its region’s kind; header flips before any derivation, body flips with one derived key', () => {
    const bits = vault.length * 8;
    const byRegion: Record<Region, number> = { 'not-a-vault': 0, 'unsupported-version': 0, damaged: 0 };
    const wrong: string[] = [];
    let accepted = 0;
    let headerDerivations = 0;
    const started = Date.now();
    // Header flips (bytes 0–123) go through the whole decoder, counting derivations: there must be none.
    countingDerivations(() => {
      for (let offset = 0; offset < CIPHERTEXT_OFFSET; offset += 1) {
        for (let bit = 0; bit < 8; bit += 1) {
          const kind = kindOf(() => decryptVault(flipBit(vault, offset, bit), PASSPHRASE));
          if (kind === 'accepted') accepted += 1;
          if (kind !== regionOf(offset)) wrong.push(`byte ${offset} bit ${bit}: ${kind}`);
          else byRegion[regionOf(offset)] += 1;
        }
      }
      headerDerivations = derivations;
    });
    // Body flips (bytes 124–end): the header is intact, so the key is derived once and reused.
    const header = parseHeader(vault);
    const keys = countingDerivations(() => deriveForHeader(PASSPHRASE, header));
    for (let offset = CIPHERTEXT_OFFSET; offset < vault.length; offset += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const flipped = flipBit(vault, offset, bit);
        const kind = kindOf(() => decryptWithKeys(flipped, parseHeader(flipped), keys));
        if (kind === 'accepted') accepted += 1;
        if (kind !== 'damaged') wrong.push(`byte ${offset} bit ${bit}: ${kind}`);
        else byRegion.damaged += 1;
      }
    }
    const rejected = bits - accepted;
    report.push(
      `bit flips ${rejected}/${bits} rejected, ${accepted} accepted, ${bits - wrong.length}/${bits} with their region's message ` +
        `(not a vault ${byRegion['not-a-vault']}, unsupported version ${byRegion['unsupported-version']}, damaged ${byRegion.damaged}); ` +
        `${headerDerivations} key derivations for the ${CIPHERTEXT_OFFSET * 8} header flips, 1 for the ${bits - CIPHERTEXT_OFFSET * 8} body flips; ${Date.now() - started} ms`,
    );
    expect(wrong).toEqual([]);
    expect(accepted).toBe(0);
    expect(headerDerivations).toBe(0);
    expect(derivations).toBe(1);
  });
});

describe('every truncation of a small vault, in-process', () => {
  it('is rejected: not a vault below 8 bytes, damaged from 8 bytes on', () => {
    const header = parseHeader(vault);
    const keys = deriveForHeader(PASSPHRASE, header);
    const wrong: string[] = [];
    let accepted = 0;
    for (let length = 0; length < vault.length; length += 1) {
      const cut = vault.slice(0, length);
      const expected = length < 8 ? 'not-a-vault' : 'damaged';
      // Cuts inside the header must fail in parseHeader, before any derivation; longer ones at the tag.
      const kind = length < CIPHERTEXT_OFFSET + 16 ? kindOf(() => parseHeader(cut)) : kindOf(() => decryptWithKeys(cut, parseHeader(cut), keys));
      if (kind === 'accepted') accepted += 1;
      if (kind !== expected) wrong.push(`length ${length}: ${kind}`);
    }
    report.push(`truncations ${vault.length - accepted}/${vault.length} rejected (every length 0–${vault.length - 1}), ${accepted} accepted, ${wrong.length} with a wrong message`);
    expect(wrong).toEqual([]);
    expect(accepted).toBe(0);
  });
});

describe('a header asking for an absurd key-derivation cost', () => {
  it('is refused as kdf-limit before any derivation, fast and without allocating it', () => {
    // memory = 0xFFFFFFFF KiB (4 TiB), checksum recomputed so that the header is otherwise valid.
    const absurd = withChecksum(withUint(vault, 15, 4, 0xffffffff));
    const passes = withChecksum(withUint(vault, 11, 4, 0xffffffff));
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const kinds = countingDerivations(() => [kindOf(() => decryptVault(absurd, PASSPHRASE)), kindOf(() => decryptVault(passes, PASSPHRASE))]);
    const ms = performance.now() - started;
    const grewMiB = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    report.push(`absurd KDF cost (4 TiB memory; 2^32-1 passes): refused as kdf-limit with ${derivations} derivations in ${ms.toFixed(1)} ms, RSS +${grewMiB.toFixed(1)} MiB`);
    expect(kinds).toEqual(['kdf-limit', 'kdf-limit']);
    expect(derivations).toBe(0);
    expect(ms).toBeLessThan(1000);
    expect(grewMiB).toBeLessThan(64);
  });

  it('through the binary: exit 3 with its own message within seconds, file untouched', async () => {
    const box = proofBox();
    try {
      fs.mkdirSync(box.folder, { mode: 0o700 });
      const absurd = withChecksum(withUint(vault, 15, 4, 0xffffffff));
      fs.writeFileSync(box.vault, absurd, { mode: 0o600 });
      const run = await box.run(['use', 'instagram']);
      expect(run.status).toBe(3);
      expect(run.stderr).toContain('lifeboat: error: the vault asks for a key-derivation cost (4294967295 KiB, 1 passes) outside the limits');
      expect(run.ms).toBeLessThan(10_000);
      expect(Buffer.from(absurd).equals(fs.readFileSync(box.vault))).toBe(true);
    } finally {
      box.cleanup();
    }
  });
});

describe('unopenable fixtures: wrong passphrase, damaged, unsupported version', () => {
  it('each its own message, exit 3, the file byte-identical and nothing written beside it', async () => {
    const vectors = loadVectors();
    const fixtures = [
      { name: 'wrong-passphrase', message: /^lifeboat: error: wrong passphrase, or the file's header was changed$/m },
      { name: 'damaged-ciphertext-flip', message: /^lifeboat: error: the vault is damaged or was tampered with$/m },
      { name: 'unsupported-version', message: /^lifeboat: error: this vault has format version \d+, which this lifeboat cannot read$/m },
    ];
    const firstLines = new Set<string>();
    let identical = 0;
    for (const fixture of fixtures) {
      const vector = vectors.find((v) => v.name === fixture.name);
      expect(vector, fixture.name).toBeDefined();
      if (!vector) continue;
      const box = proofBox();
      try {
        fs.mkdirSync(box.folder, { mode: 0o700 });
        fs.copyFileSync(path.join(VECTORS_FOLDER, `${fixture.name}.lifeboat`), box.vault);
        const passFile = path.join(box.dir, 'vector-pass.txt');
        fs.writeFileSync(passFile, `${vector.passphrase}\n`);
        for (const command of [['list'], ['use', 'instagram'], ['spend', 'instagram']]) {
          const run = await box.run(command, { env: { LIFEBOAT_PASSPHRASE_FILE: passFile }, input: '1234 5678\n' });
          expect(run.status, `${fixture.name} ${command[0]}`).toBe(3);
          expect(run.stderr).toMatch(fixture.message);
          expect(run.stderr).not.toMatch(STACK_TRACE);
          expect(run.stdout).toBe('');
          firstLines.add(run.stderr.split('\n').find((line) => line.startsWith('lifeboat: error:')) ?? '');
        }
        const same = Buffer.from(vector.bytes).equals(fs.readFileSync(box.vault)) && namesIn(box.folder).join() === 'vault.lifeboat';
        if (same) identical += 1;
        expect(same, `${fixture.name} untouched`).toBe(true);
      } finally {
        box.cleanup();
      }
    }
    report.push(`unopenable fixtures: ${fixtures.length} fixtures × 3 commands, ${firstLines.size} distinct messages, ${identical}/${fixtures.length} byte-identical afterwards`);
    expect(firstLines.size).toBe(3);
  });
});

describe('sampled bit flips through the real binary (the fast sample; 200 in tamper.slow.test.ts)', () => {
  let result: Awaited<ReturnType<typeof binaryFlips>>;
  afterAll(() => {
    if (result) report.push(`binary bit flips (fast sample) ${result.exit3}/${result.runs} exit 3, ${result.rightMessage}/${result.runs} region's message, ${result.stackTraces} stack traces, ${result.unchanged}/${result.runs} byte-identical`);
  });
  it('exit 3, the region’s message, no stack trace, nothing written', async () => {
    result = await binaryFlips(12, 2);
    expect(result.failures).toEqual([]);
  });
});
