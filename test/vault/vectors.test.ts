import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentToJson, parseContent } from '../../src/vault/content.js';
import { loadCrypto } from '../../src/vault/crypto.js';
import { VaultError } from '../../src/vault/errors.js';
import { decryptVault } from '../../src/vault/format.js';
import { loadVectors, passphraseBytes, type Expectation, type Vector } from '../support/vectors.js';

/**
 * Test vectors are data (STYLE.md, practice 3): one test loops over the frozen files of test/vectors and
 * checks each one's `expect`, first through src/vault/format.ts, then through the independent Python
 * decoder of docs/decrypt.py, which must print the very bytes `lifeboat export --plaintext --format json` does.
 */

const vectors = loadVectors();
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PYTHON = '/usr/bin/python3';
const DECRYPT_PY = path.join(REPO, 'docs', 'decrypt.py');

/** What docs/decrypt.py must say on stderr for each way a vault cannot be opened (the same words as lifeboat). */
const PYTHON_MESSAGES: Record<Exclude<Expectation, 'ok'>, RegExp> = {
  'not-a-vault': /^decrypt\.py: error: this file is not a lifeboat vault$/m,
  'unsupported-version': /^decrypt\.py: error: this vault has (?:format|content) version \d+, which this script cannot read$/m,
  damaged: /^decrypt\.py: error: the vault is damaged(: .+| or was tampered with)$/m,
  'wrong-passphrase': /^decrypt\.py: error: wrong passphrase$/m,
  'kdf-limit': /^decrypt\.py: error: the vault asks for a key-derivation cost \(\d+ KiB, \d+ passes\) outside the limits/m,
};

function open(vector: Vector): { kind: 'ok'; json: string } | { kind: string; message: string } {
  try {
    const { content, header } = decryptVault(vector.bytes, passphraseBytes(vector.passphrase));
    expect(header.cost).toEqual(vector.cost);
    expect(content).toEqual(vector.content);
    return { kind: 'ok', json: contentToJson(content, 2) };
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    return { kind: error.kind, message: error.message };
  }
}

describe('test vectors', () => {
  beforeAll(loadCrypto);

  it('covers every expectation and at least one vector at the default cost', () => {
    expect(new Set(vectors.map((vector) => vector.expect))).toEqual(
      new Set(['ok', 'wrong-passphrase', 'damaged', 'not-a-vault', 'unsupported-version', 'kdf-limit']),
    );
    expect(vectors.some((vector) => vector.cost?.memoryKiB === 64 * 1024 && vector.cost.passes === 3)).toBe(true);
  });

  it('every vector opens, or fails, as its metadata expects', () => {
    const results = vectors.map((vector) => ({ name: vector.name, ...open(vector) }));
    expect(results.map(({ name, kind }) => `${name}: ${kind}`)).toEqual(vectors.map((vector) => `${vector.name}: ${vector.expect}`));
  });
});

/** Why docs/decrypt.py cannot run here, or null if it can. */
function pythonProblem(): string | null {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const probe = spawnSync(PYTHON, ['-c', 'import nacl.bindings, nacl.pwhash'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${PYTHON} cannot import PyNaCl (apt install python3-nacl): ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  return null;
}

const problem = pythonProblem();
const inCi = process.env['CI'] === 'true';
if (problem !== null && !inCi) console.warn(`skipping the docs/decrypt.py tests: ${problem}`);

/** Runs docs/decrypt.py with a minimal environment, so no passphrase variable of the caller leaks in. */
function runPython(file: string, env: Record<string, string>, args = [DECRYPT_PY, file]): Promise<{ status: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}

describe.skipIf(problem !== null && !inCi)('docs/decrypt.py, the decoder in the spec', () => {
  beforeAll(loadCrypto);

  it('has Python with PyNaCl (required when CI=true)', () => {
    expect(problem).toBeNull();
  });

  // Each run is its own Python process (about 0.2 s, mostly importing PyNaCl), so they run side by side.
  it.concurrent.for(vectors.filter((vector) => vector.expect === 'ok'))('prints $name byte for byte like the JSON export', async (vector, { expect }) => {
    // The loop above proves decryptVault returns exactly `vector.content` for this file.
    const exported = Buffer.from(`${contentToJson(vector.content ?? { accounts: [], tombstones: [] }, 2)}\n`, 'utf8');
    const { status, stdout, stderr } = await runPython(vector.file, { LIFEBOAT_PASSPHRASE: vector.passphrase });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.toString('utf8')).toBe(exported.toString('utf8'));
    expect(stdout.equals(exported)).toBe(true);
  });

  it.concurrent.for(vectors.filter((vector) => vector.expect !== 'ok'))('refuses $name with exit 3 and the message for $expect', async (vector, { expect }) => {
    const { status, stdout, stderr } = await runPython(vector.file, { LIFEBOAT_PASSPHRASE: vector.passphrase });
    expect(stdout.length).toBe(0);
    expect(stderr).toMatch(PYTHON_MESSAGES[vector.expect as Exclude<Expectation, 'ok'>]);
    expect(status).toBe(3);
  });

  it('reads the first line of LIFEBOAT_PASSPHRASE_FILE, without its CRLF, and NFC-normalizes it', async () => {
    const vector = vectors.find((candidate) => candidate.name === 'ok-accounts');
    if (!vector) throw new Error('the vector ok-accounts is missing');
    expect(vector.passphrase).not.toBe(vector.passphrase.normalize('NFC'));
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-py-'));
    try {
      const file = path.join(folder, 'passphrase');
      fs.writeFileSync(file, `${vector.passphrase}\r\nsecond line is ignored\n`, { mode: 0o600 });
      const { status, stdout } = await runPython(vector.file, { LIFEBOAT_PASSPHRASE_FILE: file });
      expect(status).toBe(0);
      expect(parseContent(JSON.parse(stdout.toString('utf8')))).toEqual(vector.content);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('runs the worked example of docs/vault-format.md, section 7, as printed there', async () => {
    const doc = fs.readFileSync(path.join(REPO, 'docs', 'vault-format.md'), 'utf8');
    const example = /```python\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf('\n## 7.')))?.[1];
    if (!example) throw new Error('no Python example in section 7');
    const vector = vectors.find((candidate) => candidate.name === 'ok-accounts');
    if (!vector?.content) throw new Error('the vector ok-accounts is missing');
    // The example asks with getpass; answer it from the environment instead of a terminal.
    const prelude = 'import getpass, os, sys\ngetpass.getpass = lambda prompt="": os.environ["PW"]\nsys.argv = ["example", os.environ["VAULT"]]\n';
    const { status, stdout, stderr } = await runPython(vector.file, { PW: vector.passphrase, VAULT: vector.file, PYTHONIOENCODING: 'utf-8' }, ['-c', prelude + example]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = stdout.toString('utf8').trim().split('\n');
    expect(lines.map((line) => line.slice(0, line.indexOf(' ['))).sort()).toEqual(vector.content.accounts.map((account) => account.name).sort());
    const github = lines.find((line) => line.startsWith('github:work '));
    expect(github).toContain("'e8c13-f5062'");
    expect(github).not.toContain("'0b4e7-2ad91'"); // spent
    expect(github).not.toContain("'3f9a1-c07be'"); // in the superseded batch
  });

  it('says a missing file is missing (exit 1), and refuses two passphrase sources (exit 2)', async () => {
    const missing = await runPython(path.join(os.tmpdir(), 'lifeboat-no-such-vault'), { LIFEBOAT_PASSPHRASE: 'x' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^decrypt\.py: error: no vault at /m);
    const ok = vectors.find((candidate) => candidate.expect === 'ok');
    if (!ok) throw new Error('no ok vector');
    const both = await runPython(ok.file, { LIFEBOAT_PASSPHRASE: 'x', LIFEBOAT_PASSPHRASE_FILE: '/dev/null' });
    expect(both.status).toBe(2);
    expect(both.stdout.length).toBe(0);
  });
});
