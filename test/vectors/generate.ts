/**
 * ===========================================================================================================
 *  NEVER REGENERATE EXISTING VECTORS: ADD NEW ONES.
 *
 *  The files in this folder are frozen data. A vault written today must still open in ten years, so the
 *  vectors are the proof that the decoder still reads what an older encoder wrote. Regenerating them with
 *  today's encoder would prove nothing: it would only show that the code agrees with itself.
 *
 *  This script skips every vector whose `.lifeboat` file already exists, and derives the damaged vectors
 *  from the frozen files on disk, not from fresh ones. To add a vector, add an entry below and run:
 *
 *    rm -rf /tmp/lifeboat-vectors && npx tsc --outDir /tmp/lifeboat-vectors --rootDir . --module nodenext \
 *      --moduleResolution nodenext --target es2022 --skipLibCheck --types node test/vectors/generate.ts \
 *      && echo '{"type":"module"}' > /tmp/lifeboat-vectors/package.json \
 *      && ln -s "$PWD/node_modules" /tmp/lifeboat-vectors/node_modules \
 *      && node /tmp/lifeboat-vectors/test/vectors/generate.js test/vectors
 *
 *  then check the new files in. Never edit or delete an existing one; if a vector turns out wrong, add a
 *  corrected one under a new name and say so in the old one's note.
 * ===========================================================================================================
 *
 * Each vector is two files: `NAME.lifeboat` (the bytes) and `NAME.json`:
 *   { "passphrase": string,  // as the user would type it: NFC-normalize, then UTF-8 (docs/vault-format.md 3.2)
 *     "expect": "ok" | "wrong-passphrase" | "damaged" | "not-a-vault" | "unsupported-version" | "kdf-limit",
 *     "content"?: …,          // for "ok": the content the decoder must return (docs/vault-format.md 5.2)
 *     "cost"?: { "passes", "memoryKiB" },  // for "ok": the cost in the header
 *     "note": string }        // what the vector shows, and which clause it exercises
 * test/vault/vectors.test.ts loops over every `.json` here.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { VaultContent } from '../../src/domain/index.js';
import { deriveKeys, keyCheck, loadCrypto, seal } from '../../src/vault/crypto.js';
import {
  CIPHERTEXT_OFFSET,
  DEFAULT_COST,
  HEADER_BYTES,
  MINIMUM_COST,
  buildHeader,
  encryptVault,
  newSalt,
  type KdfCost,
} from '../../src/vault/format.js';

type Expectation = 'ok' | 'wrong-passphrase' | 'damaged' | 'not-a-vault' | 'unsupported-version' | 'kdf-limit';

interface Meta {
  readonly passphrase: string;
  readonly expect: Expectation;
  readonly content?: VaultContent;
  readonly cost?: KdfCost;
  readonly note: string;
}

/** What the CLI does to a passphrase before key derivation (src/cli/passphrase.ts): NFC, then UTF-8. */
function passphraseBytes(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.normalize('NFC'), 'utf8'));
}

// ---------------------------------------------------------------------------------------------------------
// Invented content. Every account, code and name below is made up.
// ---------------------------------------------------------------------------------------------------------

const GITHUB_OLD = [
  '3f9a1-c07be', '8d2e4-19f0a', 'b71c6-5e2d3', '04af9-d8c61', 'e5b30-7a94f', '6c18d-b2e07', '9fa72-03c5b', '21d5e-f69a8',
  'a0c47-4b1d9', '5e93b-c8072', 'd4f06-91ae3', '7b2a8-e05c4', 'c69d1-3f8b0', '18e7f-a4d26', 'f30b5-6c9e1', '4a8c2-d17f5',
];
const GITHUB_NEW = [
  '0b4e7-2ad91', 'e8c13-f5062', '71f9a-0c3d8', 'ad256-98be4', '3c07f-e1a5b', '96b4d-27f03', 'd15e8-4a9c6', '58a2c-b0e71',
  'c3d90-6f14a', '2f7b6-d58e0', '8e05a-13c9f', 'b6f21-e947d', '49c8e-0a2b5', 'f7a13-5d6c8', '1d6f4-b83e2', '6a94b-c270d',
];
const INSTAGRAM = ['2847 1093', '5610 7724', '9035 4186', '3372 8851', '7469 0215'];
const ZURICH = ['718 204 553', '096 331 870', '452 918 067'];

const ACCOUNTS_CONTENT: VaultContent = {
  accounts: [
    {
      id: '6f2c9a0b41d8e357',
      name: 'github:work',
      service: 'GitHub',
      username: 'anna-at-work',
      note: null,
      createdAt: '2025-01-14T09:30:12.481Z',
      batches: [
        {
          id: 'a41e07c9d3b25f68',
          addedAt: '2025-01-14T09:30:12.481Z',
          source: 'file:github-recovery-codes.txt',
          supersededAt: '2025-06-02T18:04:51.007Z',
          printedAt: '2025-01-14T09:31:40.112Z',
          copiedAt: null,
          codes: GITHUB_OLD.map((code, i) => ({ code, spentAt: i < 3 ? `2025-0${i + 2}-10T08:00:00.000Z` : null })),
        },
        {
          id: 'c8d5f1e26a0b9437',
          addedAt: '2025-06-02T18:04:51.007Z',
          source: 'clipboard',
          supersededAt: null,
          printedAt: null,
          copiedAt: null,
          codes: GITHUB_NEW.map((code, i) => ({ code, spentAt: i === 0 || i === 5 ? '2025-09-21T07:45:03.250Z' : null })),
        },
      ],
    },
    {
      id: '0d7b3e95c2a16f84',
      name: 'instagram',
      service: null,
      username: 'anna.photos',
      note: null,
      createdAt: '2025-02-01T20:11:00.000Z',
      batches: [
        {
          id: '95e0a7c4b3d8126f',
          addedAt: '2025-02-01T20:11:00.000Z',
          source: 'typed',
          supersededAt: null,
          printedAt: null,
          copiedAt: null,
          codes: INSTAGRAM.map((code, i) => ({ code, spentAt: i === 1 ? '2025-04-30T12:00:00Z' : null })),
        },
      ],
    },
    {
      id: 'e3a81c6d07f5b924',
      name: 'Zürich bank ✓',
      service: 'Bank Zürich',
      username: 'anna.müller',
      // Characters whose JSON form differs between careless encoders: a quote, a backslash, a tab, a line
      // break, an escape character, U+2028, a character outside the BMP, and a combining-mark-free umlaut.
      note: 'letter in the "blue" folder \\ drawer 2\n\tsecond line\u001b, \u2028 and 🔑 ½',
      createdAt: '2025-03-03T10:00:00.5Z',
      batches: [
        {
          id: '2b7f04d9e1c36a58',
          addedAt: '2025-03-03T10:00:00.5Z',
          source: 'stdin',
          supersededAt: null,
          printedAt: '2025-03-03T10:02:00.000000001Z',
          copiedAt: null,
          codes: ZURICH.map((code) => ({ code, spentAt: null })),
        },
      ],
    },
  ],
  tombstones: [{ id: '7c1d9e3fa05b2846', removedAt: '2025-05-05T05:05:05.555Z' }],
};

const SMALL_CONTENT: VaultContent = {
  accounts: [
    {
      id: '13579bdf02468ace',
      name: 'instagram',
      service: null,
      username: null,
      note: null,
      createdAt: '2025-02-01T20:11:00.000Z',
      batches: [
        {
          id: 'fdb97531eca86420',
          addedAt: '2025-02-01T20:11:00.000Z',
          source: 'typed',
          supersededAt: null,
          printedAt: null,
          copiedAt: null,
          codes: INSTAGRAM.map((code) => ({ code, spentAt: null })),
        },
      ],
    },
  ],
  tombstones: [],
};

/** The NFD spelling of the passphrase of `ok-accounts` ("Grüße aus Zürich ✓" with decomposed umlauts). */
const NFD_PASSPHRASE = 'Gru\u0308ße aus Zu\u0308rich ✓';

// ---------------------------------------------------------------------------------------------------------
// Byte surgery.
// ---------------------------------------------------------------------------------------------------------

/** Recomputes the header checksum (bytes 92–123 = SHA-256 of bytes 0–91), so a change reaches later clauses. */
function withChecksum(file: Uint8Array): Uint8Array {
  const out = file.slice();
  out.set(createHash('sha256').update(out.subarray(0, 92)).digest(), 92);
  return out;
}

function flipped(file: Uint8Array, offset: number, mask = 0x01): Uint8Array {
  const out = file.slice();
  out[offset] = (out[offset] ?? 0) ^ mask;
  return out;
}

function setU32(file: Uint8Array, offset: number, value: number): Uint8Array {
  const out = file.slice();
  new DataView(out.buffer).setUint32(offset, value);
  return out;
}

/** A correctly encrypted file whose plaintext is arbitrary bytes (to reach the content clauses). */
function sealRaw(plaintext: Uint8Array, passphrase: string, cost: KdfCost): Uint8Array {
  const salt = newSalt();
  const keys = deriveKeys(passphraseBytes(passphrase), salt, cost.passes, cost.memoryKiB);
  const header = buildHeader(cost, salt);
  const ciphertext = seal(keys.encryption, header.nonce, plaintext, header.bytes);
  const file = new Uint8Array(CIPHERTEXT_OFFSET + ciphertext.length);
  file.set(header.bytes, 0);
  file.set(keyCheck(keys.check, header.bytes), HEADER_BYTES);
  file.set(ciphertext, CIPHERTEXT_OFFSET);
  return withChecksum(file);
}

function padded(json: string): Uint8Array {
  const bytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(Math.ceil((bytes.length + 1) / 512) * 512).fill(0x20);
  out.set(bytes, 0);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The vectors, in the order they were added. Append only.
// ---------------------------------------------------------------------------------------------------------

interface Definition {
  readonly name: string;
  readonly meta: Meta;
  /** Builds the bytes; `frozen(name)` reads an existing vector (generating it first if needed). */
  readonly build: (frozen: (name: string) => Uint8Array) => Uint8Array;
}

/** Content version 2 as raw JSON (5.2), and what a reader returns for it (stamps as objects, minimal marks). */
const V2_JSON =
  '{"version":2,"clock":{"3f9a0c2b7d41e865":7,"b27e5d90c1a46f38":5},"accounts":[{"id":"6f2c9a0b41d8e357","name":"github:work",' +
  '"service":"GitHub","username":null,"note":null,"createdAt":"2026-01-10T09:00:00.000Z",' +
  '"stamps":{"name":[6,"3f9a0c2b7d41e865"],"service":[2,"b27e5d90c1a46f38"],"username":[0,""],"note":[0,""]},' +
  '"batches":[{"id":"c8d5f1e26a0b9437","addedAt":"2026-01-10T09:00:00.000Z","seq":[1,"3f9a0c2b7d41e865"],"source":"typed",' +
  '"supersededAt":"2026-02-01T10:00:00.000Z","printedAt":null,"copiedAt":null,"codes":[{"code":"0b4e7-2ad91","spentAt":null}]},' +
  '{"id":"95e0a7c4b3d8126f","addedAt":"2026-02-01T10:00:00.000Z","seq":[4,"b27e5d90c1a46f38"],"source":"clipboard","supersededAt":null,' +
  '"printedAt":"2026-02-01T10:05:00.000Z","copiedAt":null,"codes":[' +
  '{"code":"e8c13-f5062","spentAt":"2026-03-01T08:00:00.000Z","marks":[{"id":"5e0c9b2a71d4f386","at":"2026-03-01T08:00:00.000Z","undoneAt":null},{"id":"a0b1c2d3e4f50617","at":"2026-03-02T12:00:00.000Z","undoneAt":null}]},' +
  '{"code":"7d2a9-c4e10","spentAt":null,"marks":[{"id":"0c1d2e3f40516273","at":"2026-03-03T08:00:00.000Z","undoneAt":"2026-03-03T08:10:00.000Z"}]},' +
  '{"code":"1f0e3-9b8a7","spentAt":null}]}]}],' +
  '"tombstones":[{"id":"7c1d9e3fa05b2846","removedAt":"2026-02-15T00:00:00.000Z","batches":["a41e07c9d3b25f68"]}]}';

const V2_CONTENT: VaultContent = {
  accounts: [
    {
      id: '6f2c9a0b41d8e357',
      name: 'github:work',
      service: 'GitHub',
      username: null,
      note: null,
      createdAt: '2026-01-10T09:00:00.000Z',
      stamps: { name: { n: 6, d: '3f9a0c2b7d41e865' }, service: { n: 2, d: 'b27e5d90c1a46f38' }, username: { n: 0, d: '' }, note: { n: 0, d: '' } },
      batches: [
        {
          id: 'c8d5f1e26a0b9437',
          addedAt: '2026-01-10T09:00:00.000Z',
          seq: { n: 1, d: '3f9a0c2b7d41e865' },
          source: 'typed',
          supersededAt: '2026-02-01T10:00:00.000Z',
          printedAt: null,
          copiedAt: null,
          codes: [{ code: '0b4e7-2ad91', spentAt: null }],
        },
        {
          id: '95e0a7c4b3d8126f',
          addedAt: '2026-02-01T10:00:00.000Z',
          seq: { n: 4, d: 'b27e5d90c1a46f38' },
          source: 'clipboard',
          supersededAt: null,
          printedAt: '2026-02-01T10:05:00.000Z',
          copiedAt: null,
          codes: [
            {
              code: 'e8c13-f5062',
              spentAt: '2026-03-01T08:00:00.000Z',
              marks: [
                { id: '5e0c9b2a71d4f386', at: '2026-03-01T08:00:00.000Z', undoneAt: null },
                { id: 'a0b1c2d3e4f50617', at: '2026-03-02T12:00:00.000Z', undoneAt: null },
              ],
            },
            { code: '7d2a9-c4e10', spentAt: null, marks: [{ id: '0c1d2e3f40516273', at: '2026-03-03T08:00:00.000Z', undoneAt: '2026-03-03T08:10:00.000Z' }] },
            { code: '1f0e3-9b8a7', spentAt: null },
          ],
        },
      ],
    },
  ],
  tombstones: [{ id: '7c1d9e3fa05b2846', removedAt: '2026-02-15T00:00:00.000Z', batches: ['a41e07c9d3b25f68'] }],
  clock: { '3f9a0c2b7d41e865': 7, b27e5d90c1a46f38: 5 },
};

const ACCOUNTS_PASSPHRASE = NFD_PASSPHRASE;
const SIMPLE = 'correct horse battery staple';

const definitions: Definition[] = [
  {
    name: 'ok-empty',
    meta: { passphrase: SIMPLE, expect: 'ok', content: { accounts: [], tombstones: [] }, cost: MINIMUM_COST, note: 'an empty vault at the minimum cost (1 pass, 8 KiB): 140 + 512 bytes' },
    build: () => encryptVault({ accounts: [], tombstones: [] }, passphraseBytes(SIMPLE), MINIMUM_COST),
  },
  {
    name: 'ok-accounts',
    meta: {
      passphrase: ACCOUNTS_PASSPHRASE,
      expect: 'ok',
      content: ACCOUNTS_CONTENT,
      cost: MINIMUM_COST,
      note: 'three accounts, a superseded batch, spent codes, a tombstone, non-ASCII text; the passphrase is written here in NFD and was NFC-normalized before UTF-8 encoding (3.2): normalization is the caller\'s job',
    },
    build: () => encryptVault(ACCOUNTS_CONTENT, passphraseBytes(ACCOUNTS_PASSPHRASE), MINIMUM_COST),
  },
  {
    name: 'ok-default-cost',
    meta: { passphrase: SIMPLE, expect: 'ok', content: SMALL_CONTENT, cost: DEFAULT_COST, note: 'the default cost of new vaults (3 passes, 64 MiB), for realism' },
    build: () => encryptVault(SMALL_CONTENT, passphraseBytes(SIMPLE), DEFAULT_COST),
  },
  {
    name: 'ok-lenient-reader',
    meta: {
      passphrase: SIMPLE,
      expect: 'ok',
      content: {
        accounts: [
          {
            id: 'aa11bb22cc33dd44',
            name: 'mail',
            service: null,
            username: null,
            note: null,
            createdAt: '2024-12-31T23:59:59Z',
            batches: [
              { id: 'ee55ff6600771188', addedAt: '2024-12-31T23:59:59Z', source: 'import', supersededAt: null, printedAt: null, copiedAt: null, codes: [{ code: 'ABCD-EFGH', spentAt: null }] },
            ],
          },
        ],
        tombstones: [],
      },
      cost: MINIMUM_COST,
      note: 'content another writer might produce (5.2): keys in another order, optional keys absent (read as null), an unknown key (ignored), pretty-printed, padded with newlines instead of spaces, not to a multiple of 512',
    },
    build: () =>
      sealRaw(
        Buffer.from(
          '{\n  "tombstones": [],\n  "future": {"x": 1},\n  "accounts": [\n    {"name": "mail", "createdAt": "2024-12-31T23:59:59Z", "id": "aa11bb22cc33dd44",\n' +
            '     "batches": [{"codes": [{"code": "ABCD-EFGH"}], "source": "import", "addedAt": "2024-12-31T23:59:59Z", "id": "ee55ff6600771188", "colour": "red"}]}\n  ]\n}\n\n\n',
          'utf8',
        ),
        SIMPLE,
        MINIMUM_COST,
      ),
  },
  {
    name: 'ok-accounts-nfc-passphrase',
    meta: {
      passphrase: ACCOUNTS_PASSPHRASE.normalize('NFC'),
      expect: 'ok',
      content: ACCOUNTS_CONTENT,
      cost: MINIMUM_COST,
      note: 'ok-accounts, with its passphrase written in NFC: the same bytes after normalization open the same vault',
    },
    build: (frozen) => frozen('ok-accounts'),
  },
  {
    name: 'wrong-passphrase',
    meta: { passphrase: 'Grüsse aus Zürich ✓', expect: 'wrong-passphrase', note: 'ok-accounts opened with "ss" for "ß": the key check (3.3) fails' },
    build: (frozen) => frozen('ok-accounts'),
  },
  {
    name: 'wrong-passphrase-case',
    meta: {
      passphrase: SIMPLE.toUpperCase(),
      expect: 'wrong-passphrase',
      note: 'ok-empty opened with the passphrase in capitals: passphrases are case-sensitive',
    },
    build: (frozen) => frozen('ok-empty'),
  },
  {
    name: 'damaged-ciphertext-flip',
    meta: { passphrase: ACCOUNTS_PASSPHRASE, expect: 'damaged', note: 'ok-accounts with bit 0 of byte 300 (ciphertext) flipped: the tag fails (2.3 step 7)' },
    build: (frozen) => flipped(frozen('ok-accounts'), 300),
  },
  {
    name: 'damaged-tag-flip',
    meta: { passphrase: ACCOUNTS_PASSPHRASE, expect: 'damaged', note: 'ok-accounts with bit 7 of the last byte (the tag) flipped (2.3 step 7)' },
    build: (frozen) => {
      const file = frozen('ok-accounts');
      return flipped(file, file.length - 1, 0x80);
    },
  },
  {
    name: 'damaged-header-flip',
    meta: { passphrase: ACCOUNTS_PASSPHRASE, expect: 'damaged', note: 'ok-accounts with bit 7 of byte 25 (the salt) flipped: the checksum fails (2.3 step 4)' },
    build: (frozen) => flipped(frozen('ok-accounts'), 25, 0x80),
  },
  {
    name: 'damaged-cost-flip',
    meta: { passphrase: ACCOUNTS_PASSPHRASE, expect: 'damaged', note: 'ok-accounts with the top bit of the memory cost (byte 15) flipped: the checksum fails before the cap is looked at' },
    build: (frozen) => flipped(frozen('ok-accounts'), 15, 0x80),
  },
  {
    name: 'damaged-key-check-flip',
    meta: { passphrase: ACCOUNTS_PASSPHRASE, expect: 'damaged', note: 'ok-accounts with bit 0 of byte 70 (the key check) flipped: damaged, not "wrong passphrase", since the checksum covers the key check' },
    build: (frozen) => flipped(frozen('ok-accounts'), 70),
  },
  {
    name: 'damaged-checksum-flip',
    meta: { passphrase: ACCOUNTS_PASSPHRASE, expect: 'damaged', note: 'ok-accounts with bit 3 of byte 100 (the checksum) flipped (2.3 step 4)' },
    build: (frozen) => flipped(frozen('ok-accounts'), 100, 0x08),
  },
  {
    name: 'damaged-truncated-header',
    meta: { passphrase: ACCOUNTS_PASSPHRASE, expect: 'damaged', note: 'the first 60 bytes of ok-accounts: shorter than 140 bytes (2.3 step 3)' },
    build: (frozen) => frozen('ok-accounts').slice(0, 60),
  },
  {
    name: 'damaged-truncated-version',
    meta: { passphrase: ACCOUNTS_PASSPHRASE, expect: 'damaged', note: 'the first 9 bytes of ok-accounts: the magic, then half a version field (2.3 step 2)' },
    build: (frozen) => frozen('ok-accounts').slice(0, 9),
  },
  {
    name: 'damaged-truncated-body',
    meta: { passphrase: ACCOUNTS_PASSPHRASE, expect: 'damaged', note: 'ok-accounts without its last 100 bytes: header intact, the tag fails (2.3 step 7)' },
    build: (frozen) => {
      const file = frozen('ok-accounts');
      return file.slice(0, file.length - 100);
    },
  },
  {
    name: 'damaged-kdf-id',
    meta: { passphrase: SIMPLE, expect: 'damaged', note: 'ok-empty with KDF id 2 and a recomputed checksum (2.3 step 5)' },
    build: (frozen) => {
      const file = frozen('ok-empty').slice();
      file[10] = 2;
      return withChecksum(file);
    },
  },
  {
    name: 'damaged-parallelism',
    meta: { passphrase: SIMPLE, expect: 'damaged', note: 'ok-empty with parallelism 4 and a recomputed checksum (2.3 step 5)' },
    build: (frozen) => {
      const file = frozen('ok-empty').slice();
      file[19] = 4;
      return withChecksum(file);
    },
  },
  {
    name: 'damaged-not-utf8',
    meta: { passphrase: SIMPLE, expect: 'damaged', note: 'correctly encrypted valid JSON, but one byte of the padding is 0xFF, which is not UTF-8: the whole plaintext must be UTF-8 (5.1)' },
    build: () => {
      const plaintext = padded('{"accounts":[],"tombstones":[]}');
      plaintext[plaintext.length - 2] = 0xff;
      return sealRaw(plaintext, SIMPLE, MINIMUM_COST);
    },
  },
  {
    name: 'damaged-not-json',
    meta: { passphrase: SIMPLE, expect: 'damaged', note: 'correctly encrypted, but the plaintext is not JSON (2.3 step 8)' },
    build: () => sealRaw(padded('accounts: none'), SIMPLE, MINIMUM_COST),
  },
  {
    name: 'damaged-not-schema',
    meta: { passphrase: SIMPLE, expect: 'damaged', note: 'correctly encrypted JSON, but "accounts" is an object (5.2)' },
    build: () => sealRaw(padded('{"accounts":{},"tombstones":[]}'), SIMPLE, MINIMUM_COST),
  },
  {
    name: 'damaged-duplicate-name',
    meta: { passphrase: SIMPLE, expect: 'damaged', note: 'correctly encrypted, but two accounts are named "Mail" and "mail" (5.2: names are unique, compared case-insensitively)' },
    build: () =>
      sealRaw(
        padded(
          JSON.stringify({
            accounts: [
              { id: 'a1', name: 'Mail', service: null, username: null, note: null, createdAt: '2025-01-01T00:00:00Z', batches: [] },
              { id: 'a2', name: 'mail', service: null, username: null, note: null, createdAt: '2025-01-01T00:00:00Z', batches: [] },
            ],
            tombstones: [],
          }),
        ),
        SIMPLE,
        MINIMUM_COST,
      ),
  },
  {
    name: 'damaged-bad-time',
    meta: { passphrase: SIMPLE, expect: 'damaged', note: 'correctly encrypted, but a time has an offset instead of Z (5.2: times are UTC)' },
    build: () => sealRaw(padded('{"accounts":[],"tombstones":[{"id":"t1","removedAt":"2025-01-01T00:00:00+01:00"}]}'), SIMPLE, MINIMUM_COST),
  },
  {
    name: 'ok-v2-merge-state',
    meta: {
      passphrase: SIMPLE,
      expect: 'ok',
      content: V2_CONTENT,
      cost: MINIMUM_COST,
      note: 'content version 2 (5.2): a clock of two devices, stamped account fields, a batch order, a code spent on two devices, a code spent and unspent, a tombstone that names its batches; written as raw JSON, not by the encoder',
    },
    build: () => sealRaw(padded(V2_JSON), SIMPLE, MINIMUM_COST),
  },
  {
    name: 'unsupported-content-version',
    meta: { passphrase: SIMPLE, expect: 'unsupported-version', note: 'correctly encrypted, but the content says version 3, which this reader does not know (5.2)' },
    build: () => sealRaw(padded('{"version":3,"clock":{},"accounts":[],"tombstones":[]}'), SIMPLE, MINIMUM_COST),
  },
  {
    name: 'damaged-v2-bad-stamp',
    meta: { passphrase: SIMPLE, expect: 'damaged', note: 'content version 2 whose batch order is not a stamp (a counter written as text) (5.2)' },
    build: () => sealRaw(padded(V2_JSON.replace('"seq":[4,"b27e5d90c1a46f38"]', '"seq":["4","b27e5d90c1a46f38"]')), SIMPLE, MINIMUM_COST),
  },
  {
    name: 'damaged-v2-spent-at-disagrees',
    meta: { passphrase: SIMPLE, expect: 'damaged', note: 'content version 2 where a code\'s spentAt is null but one of its marks stands (5.3): a strict reader refuses it, lifeboat opens it repaired (5.4)' },
    build: () => sealRaw(padded(V2_JSON.replace('"spentAt":"2026-03-01T08:00:00.000Z","marks"', '"spentAt":null,"marks"')), SIMPLE, MINIMUM_COST),
  },
  {
    name: 'damaged-name-format-character',
    meta: { passphrase: SIMPLE, expect: 'damaged', note: 'an account name holding a right-to-left override (U+202E) (5.3): a strict reader refuses it, lifeboat opens it repaired (5.4)' },
    build: () => sealRaw(padded(V2_JSON.replace('"name":"github:work"', '"name":"github:\u202ekrow"')), SIMPLE, MINIMUM_COST),
  },
  {
    name: 'unsupported-version',
    meta: { passphrase: SIMPLE, expect: 'unsupported-version', note: 'ok-empty with version 2 and a recomputed checksum (2.3 step 2)' },
    build: (frozen) => {
      const file = frozen('ok-empty').slice();
      new DataView(file.buffer).setUint16(8, 2);
      return withChecksum(file);
    },
  },
  {
    name: 'unsupported-version-flip',
    meta: { passphrase: SIMPLE, expect: 'unsupported-version', note: 'ok-empty with bit 0 of byte 9 flipped (version 0), checksum left as it was: the version is checked before the checksum' },
    build: (frozen) => flipped(frozen('ok-empty'), 9),
  },
  {
    name: 'kdf-limit-memory',
    meta: { passphrase: SIMPLE, expect: 'kdf-limit', note: 'ok-empty asking for 0xFFFFFFFF KiB (4 TiB) with a valid checksum: refused before any derivation (3.1)' },
    build: (frozen) => withChecksum(setU32(frozen('ok-empty'), 15, 0xffffffff)),
  },
  {
    name: 'kdf-limit-passes',
    meta: { passphrase: SIMPLE, expect: 'kdf-limit', note: 'ok-empty asking for 21 passes (the cap is 20) with a valid checksum (3.1)' },
    build: (frozen) => withChecksum(setU32(frozen('ok-empty'), 11, 21)),
  },
  {
    name: 'kdf-limit-below-minimum',
    meta: { passphrase: SIMPLE, expect: 'kdf-limit', note: 'ok-empty asking for 0 passes (libsodium\'s minimum is 1) with a valid checksum (3.1)' },
    build: (frozen) => withChecksum(setU32(frozen('ok-empty'), 11, 0)),
  },
  {
    name: 'not-a-vault-random',
    meta: { passphrase: SIMPLE, expect: 'not-a-vault', note: '700 random bytes (2.3 step 1)' },
    build: () => new Uint8Array(randomBytes(700)),
  },
  {
    name: 'not-a-vault-short',
    meta: { passphrase: SIMPLE, expect: 'not-a-vault', note: 'the first 7 bytes of the magic: shorter than 8 bytes (2.3 step 1)' },
    build: () => new Uint8Array(Buffer.from('LIFEBOA', 'ascii')),
  },
  {
    name: 'not-a-vault-empty',
    meta: { passphrase: SIMPLE, expect: 'not-a-vault', note: 'an empty file (2.3 step 1)' },
    build: () => new Uint8Array(0),
  },
  {
    name: 'not-a-vault-magic-case',
    meta: { passphrase: SIMPLE, expect: 'not-a-vault', note: 'ok-empty with the magic in lower case ("lifeboat")' },
    build: (frozen) => {
      const file = frozen('ok-empty').slice();
      file.set(Buffer.from('lifeboat', 'ascii'), 0);
      return file;
    },
  },
];

async function main(folder: string): Promise<void> {
  await loadCrypto();
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  const made: string[] = [];
  const frozen = (name: string): Uint8Array => {
    const file = path.join(folder, `${name}.lifeboat`);
    if (!fs.existsSync(file)) {
      const definition = byName.get(name);
      if (!definition) throw new Error(`no vector named ${name}`);
      const bytes = definition.build(frozen);
      // 'wx': never overwrite a frozen vector, even by mistake.
      fs.writeFileSync(file, bytes, { flag: 'wx' });
      fs.writeFileSync(path.join(folder, `${name}.json`), `${JSON.stringify(definition.meta, null, 2)}\n`, { flag: 'wx' });
      made.push(name);
    }
    return new Uint8Array(fs.readFileSync(file));
  };
  for (const definition of definitions) frozen(definition.name);
  process.stdout.write(made.length ? `wrote ${made.join(', ')}\n` : 'nothing to do: every vector exists\n');
}

await main(process.argv[2] ?? 'test/vectors');
