import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJsonExport } from '../../src/cli/commands/import.js';
import { CliError } from '../../src/cli/errors.js';
import { DomainError, normalizeText, type VaultContent } from '../../src/domain/index.js';
import { recognize } from '../../src/import/index.js';
import { contentToJson, decodeContent } from '../../src/vault/content.js';
import { deriveKeys, keyCheck, seal, sha256 } from '../../src/vault/crypto.js';
import { VaultError } from '../../src/vault/errors.js';
import { MINIMUM_COST, buildHeader, decryptWithKeys, parseHeader } from '../../src/vault/format.js';
import { OracleViolation, type FuzzTarget } from './engine.js';
import { planted } from './planted.js';
import { checkContent } from './model-rules.js';

/**
 * The three parsers that read untrusted bytes, as fuzz targets (issue 11, "Proof"): the vault decoder (a whole file,
 * and the content inside it), the JSON export reader of `lifeboat import`, and the recognizer of `lifeboat add`.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const encoder = new TextEncoder();
const isVaultError = (error: unknown): boolean => error instanceof VaultError;

/** A small vault: one account, four codes (the shape of test/proof/tamper.ts's sample, which imports vitest). */
function smallContent(): VaultContent {
  return {
    accounts: [
      {
        id: 'a1b2c3d4e5f60718',
        name: 'instagram',
        service: null,
        username: null,
        note: null,
        createdAt: '2025-02-01T20:11:00.000Z',
        batches: [
          {
            id: '95e0a7c4b3d8126f',
            addedAt: '2025-02-01T20:11:00.000Z',
            source: 'stdin',
            supersededAt: null,
            printedAt: null,
            copiedAt: null,
            codes: ['2847 1093', '5610 7724', '0193 8475', '7720 1934'].map((code) => ({ code, spentAt: null })),
          },
        ],
      },
    ],
    tombstones: [],
  };
}

/** A second sample: several accounts, spent and superseded codes, a tombstone. */
function richerContent(): VaultContent {
  return {
    accounts: [
      ...smallContent().accounts,
      {
        id: 'c0ffee0123456789',
        name: 'GitHub (work)',
        service: 'github',
        username: 'ada@example.org',
        note: 'printed copy in the desk',
        createdAt: '2024-05-06T07:08:09Z',
        batches: [
          {
            id: 'b0b0b0b0b0b0b0b0',
            addedAt: '2024-05-06T07:08:09.123Z',
            source: 'file github-recovery-codes.txt',
            supersededAt: '2025-01-01T00:00:00Z',
            printedAt: '2024-05-06T07:10:00Z',
            copiedAt: null,
            codes: [
              { code: 'a1b2c-3d4e5', spentAt: '2024-06-01T10:00:00Z' },
              { code: 'f6a7b-8c9d0', spentAt: null },
            ],
          },
          {
            id: 'd00dd00dd00dd00d',
            addedAt: '2025-01-01T00:00:00Z',
            source: 'typed',
            supersededAt: null,
            printedAt: null,
            copiedAt: '2025-01-02T00:00:00Z',
            codes: [{ code: '1234 5678', spentAt: null }],
          },
        ],
      },
    ],
    tombstones: [{ id: 'deadbeefdeadbeef', removedAt: '2025-03-03T03:03:03Z' }],
  };
}

const CONTENT_WORDS = [
  '"accounts"', '"tombstones"', '"batches"', '"codes"', '"code"', '"spentAt"', '"id"', '"name"', '"service"',
  '"username"', '"note"', '"createdAt"', '"addedAt"', '"source"', '"supersededAt"', '"printedAt"', '"copiedAt"',
  '"removedAt"', 'null', 'true', '[]', '{}', '"2025-01-01T00:00:00Z"', '"2025-01-01T00:00:00.000000001Z"', '"T\u0308"',
  '"t\u0308"', '"\\u001b]52;c;"', '"\\u202e"', '"\\u200b"', '"\\ud800"', '"A"', '"a"', '1e999', '-0', '"__proto__"',
];

/** The passphrase and salt every sealed input uses: the derivation runs at libsodium's minimum cost. */
const PASSPHRASE = encoder.encode('fuzz');
const SALT = new Uint8Array(16).fill(7);

/**
 * The vault decoder. The first byte picks a mode: even, the rest is a plaintext that the harness seals into a
 * well-formed file (minimum cost, fixed key), so every byte reaches decryption and the content parser through the real
 * decrypt path; odd, the rest is a whole file, with its header checksum recomputed when bit 1 is set so that header
 * fields are explored past the checksum. Keys are derived only at the minimum cost: a mutated header that asks for
 * 1 GiB is parsed, never derived (the cap itself has its own tests).
 */
export function vaultTarget(): FuzzTarget {
  let keys: ReturnType<typeof deriveKeys> | undefined;
  const fixedKeys = () => (keys ??= deriveKeys(PASSPHRASE, SALT, MINIMUM_COST.passes, MINIMUM_COST.memoryKiB));
  const sealed = (plaintext: Uint8Array): Uint8Array => {
    const header = buildHeader(MINIMUM_COST, SALT);
    const k = fixedKeys();
    const ciphertext = seal(k.encryption, header.nonce, plaintext, header.bytes);
    const file = new Uint8Array(124 + ciphertext.length);
    file.set(header.bytes, 0);
    file.set(keyCheck(k.check, header.bytes), 60);
    file.set(sha256(file.subarray(0, 92)), 92);
    file.set(ciphertext, 124);
    return file;
  };
  return {
    name: 'vault',
    maxLength: 8192,
    covers: /\/src\/(vault\/(format|content)|domain\/)/,
    allowed: isVaultError,
    dictionary: [...CONTENT_WORDS, 'LIFEBOAT', '\u0000\u0001', '\u0000\u0000\u0000\u0001', '\u0000\u0000\u0000\u0014', '\u0000\u0010\u0000\u0000'],
    run(data) {
      const mode = data[0] ?? 0;
      let file: Uint8Array;
      if (mode % 2 === 0) {
        file = sealed(data.subarray(1));
      } else {
        file = data.slice(1);
        if (mode & 2 && file.length >= 124) file.set(sha256(file.subarray(0, 92)), 92);
      }
      const header = parseHeader(file);
      if (header.cost.passes !== MINIMUM_COST.passes || header.cost.memoryKiB !== MINIMUM_COST.memoryKiB) return;
      const derived = header.salt.every((byte) => byte === 7) ? fixedKeys() : deriveKeys(PASSPHRASE, header.salt, 1, 8);
      checkContent(decryptWithKeys(file, header, derived).content);
    },
    seeds() {
      const plain = (content: VaultContent) => Uint8Array.from([0, ...encoder.encode(contentToJson(content))]);
      const vectors = path.join(HERE, '..', 'vectors');
      const files = fs
        .readdirSync(vectors)
        .filter((name) => name.endsWith('.lifeboat'))
        .slice(0, 8)
        .map((name) => Uint8Array.from([1, ...fs.readFileSync(path.join(vectors, name))]));
      return [plain(smallContent()), plain(richerContent()), Uint8Array.from([0]), ...files, Uint8Array.from([3, ...sealed(encoder.encode('{}'))])];
    },
  };
}

/** The content parser alone (docs/vault-format.md 5): `decodeContent`, fed the plaintext directly. */
export function contentTarget(): FuzzTarget {
  return {
    name: 'content',
    maxLength: 8192,
    covers: /\/src\/(vault\/content|domain\/)/,
    allowed: isVaultError,
    dictionary: CONTENT_WORDS,
    run(data) {
      checkContent(decodeContent(data).content);
    },
    seeds: () => [smallContent(), richerContent()].map((content) => encoder.encode(contentToJson(content))),
  };
}

/** The JSON export reader of `lifeboat import` (the pure part: bytes in, content out or a CliError). */
export function exportTarget(): FuzzTarget {
  return {
    name: 'export',
    maxLength: 8192,
    covers: /\/src\/(cli\/commands\/import|vault\/content|domain\/)/,
    allowed: (error) => error instanceof CliError || error instanceof VaultError || error instanceof DomainError,
    dictionary: [...CONTENT_WORDS, '\uFEFF'],
    run(data) {
      checkContent(parseJsonExport(Buffer.from(data), '/fuzz/export.json'));
    },
    seeds: () => [smallContent(), richerContent()].map((content) => encoder.encode(contentToJson(content, 2))),
  };
}

const FILE_NAMES = [undefined, 'github-recovery-codes.txt', 'gitlab-recovery-codes.txt', 'Backup-codes-ada.txt', 'discord_backup_codes.txt', 'notes.txt'];

/**
 * The recognizer (`lifeboat add --file`, a paste, OCR text). The first byte picks a file name hint. It is documented to
 * never throw; its codes must each be in display form and literally present in the normalized text.
 */
export function recognizeTarget(): FuzzTarget {
  const fixtures = path.join(HERE, '..', 'fixtures', 'import');
  return {
    name: 'recognize',
    maxLength: 4096,
    covers: /\/src\/(import\/|domain\/code-text)/,
    allowed: () => false,
    dictionary: [
      'GitHub', 'recovery codes', 'backup codes', 'Google', 'used', '(used)', '~~', '[x]', '✓', '\n', '\r\n', ' ', '-',
      '1234 5678', 'a1b2c-3d4e5', '2025-01-01', '+1 555 0100', 'PIN', 'Discord', 'Instagram', '\u00a0', '\u2013', '\uFEFF',
    ],
    run(data) {
      const fileName = FILE_NAMES[(data[0] ?? 0) % FILE_NAMES.length];
      const text = new TextDecoder().decode(data.subarray(1));
      const result = recognize(text, { fileName });
      const normalized = normalizeText(text);
      const codes =
        result.confidence === 'confident' ? result.codes.map((c) => c.code) : result.confidence === 'ambiguous' ? result.candidates.map((c) => c.code) : [];
      if (result.confidence === 'confident' && codes.length === 0) throw new OracleViolation('a confident recognition without codes');
      for (const code of codes) {
        if (typeof code !== 'string' || code.length === 0) throw new OracleViolation('an empty code');
        if (code !== code.trim() || /\s{2,}/.test(code)) throw new OracleViolation('a code not in display form');
        if (!normalized.includes(code)) throw new OracleViolation('a code that is not in the normalized text');
      }
    },
    seeds() {
      return fs
        .readdirSync(fixtures)
        .filter((name) => name.endsWith('.txt'))
        .map((name, i) => Uint8Array.from([i % FILE_NAMES.length, ...fs.readFileSync(path.join(fixtures, name)).subarray(0, 4000)]));
    },
  };
}

/** The fuzzer's own test: a planted defect that only coverage guidance reaches in a few seconds (test/fuzz/planted.ts). */
export function plantedTarget(): FuzzTarget {
  return {
    name: 'planted',
    maxLength: 3,
    covers: /\/test\/fuzz\/planted/,
    allowed: () => false,
    dictionary: [],
    run: planted,
    seeds: () => [Uint8Array.from([1, 2, 3])],
  };
}

/** Every target, by corpus name. */
export const TARGETS = {
  vault: vaultTarget,
  content: contentTarget,
  export: exportTarget,
  recognize: recognizeTarget,
  planted: plantedTarget,
} as const;
