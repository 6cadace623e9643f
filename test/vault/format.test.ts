import { createHash } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VaultContent } from '../../src/domain/index.js';
import { PADDING_BYTES, contentToJson, decodeContent, encodeContent, parseContent } from '../../src/vault/content.js';
import * as crypto from '../../src/vault/crypto.js';
import { VaultError } from '../../src/vault/errors.js';
import {
  CAP_COST,
  CIPHERTEXT_OFFSET,
  DEFAULT_COST,
  FLOOR_COST,
  HEADER_BYTES,
  MAGIC,
  MINIMUM_COST,
  MINIMUM_FILE_BYTES,
  buildHeader,
  decryptVault,
  decryptWithKeys,
  deriveForHeader,
  encryptVault,
  isBelowFloor,
  isWithinCap,
  newSalt,
  parseHeader,
} from '../../src/vault/format.js';
import { flipBit, passphraseBytes, withChecksum, withUint } from '../support/vectors.js';

/**
 * The format of docs/vault-format.md, clause by clause (STYLE.md practices 1 and 4): round trip, then one
 * failing case per MUST-reject clause of 2.3 in the decoder's order, then sweeps over every bit and length.
 * Vaults here use libsodium's minimum cost (1 pass, 8 KiB), as the test-only hook does.
 */

// Spy on key derivation, so that "refused before any derivation" (3.1) is asserted, not timed.
vi.mock('../../src/vault/crypto.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/vault/crypto.js')>();
  return { ...actual, deriveKeys: vi.fn(actual.deriveKeys) };
});
const deriveKeys = vi.mocked(crypto.deriveKeys);

const PASSPHRASE = passphraseBytes('correct horse battery staple');
const COST = MINIMUM_COST;

const SAMPLE: VaultContent = {
  accounts: [
    {
      id: '6f2c9a0b41d8e357',
      name: 'github:work',
      service: 'GitHub',
      username: null,
      note: 'a "quoted" note \\ with\nlines, ✓ and 🔑',
      createdAt: '2025-01-14T09:30:12.481Z',
      batches: [
        {
          id: 'a41e07c9d3b25f68',
          addedAt: '2025-01-14T09:30:12.481Z',
          source: 'typed',
          supersededAt: null,
          printedAt: null,
          copiedAt: null,
          codes: [
            { code: '3f9a1-c07be', spentAt: '2025-02-10T08:00:00.000Z' },
            { code: '8d2e4-19f0a', spentAt: null },
          ],
        },
      ],
    },
    { id: '0d7b3e95c2a16f84', name: 'Zürich bank ✓', service: null, username: null, note: null, createdAt: '2025-02-01T20:11:00Z', batches: [] },
  ],
  tombstones: [{ id: '7c1d9e3fa05b2846', removedAt: '2025-05-05T05:05:05.555Z' }],
};

/** The VaultError kind a call throws, or "ok". */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof VaultError) return error.kind;
    throw error;
  }
}

function thrown(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}

/** A correctly encrypted vault around any plaintext bytes, to reach the content clauses (2.3 step 8). */
function sealPlaintext(plaintext: Uint8Array): Uint8Array {
  const salt = newSalt();
  const keys = crypto.deriveKeys(PASSPHRASE, salt, COST.passes, COST.memoryKiB);
  const header = buildHeader(COST, salt);
  const ciphertext = crypto.seal(keys.encryption, header.nonce, plaintext, header.bytes);
  const file = new Uint8Array(CIPHERTEXT_OFFSET + ciphertext.length);
  file.set(header.bytes, 0);
  file.set(crypto.keyCheck(keys.check, header.bytes), HEADER_BYTES);
  file.set(ciphertext, CIPHERTEXT_OFFSET);
  return withChecksum(file);
}

function text(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'utf8'));
}

let vault: Uint8Array;

beforeAll(async () => {
  await crypto.loadCrypto();
  vault = encryptVault(SAMPLE, PASSPHRASE, COST);
});

beforeEach(() => {
  deriveKeys.mockClear();
});

describe('layout (2.1, 2.2, 3.1)', () => {
  it('has the documented sizes and limits', () => {
    expect(Buffer.from(MAGIC).toString('latin1')).toBe('LIFEBOAT');
    expect([HEADER_BYTES, CIPHERTEXT_OFFSET, MINIMUM_FILE_BYTES, PADDING_BYTES]).toEqual([60, 124, 140, 512]);
    expect(DEFAULT_COST).toEqual({ passes: 3, memoryKiB: 65536 });
    expect(FLOOR_COST).toEqual({ passes: 2, memoryKiB: 19456 });
    expect(CAP_COST).toEqual({ passes: 20, memoryKiB: 1048576 });
    expect(MINIMUM_COST).toEqual({ passes: 1, memoryKiB: 8 });
  });

  it('writes each header field at its offset, the key check after it and the checksum after that', () => {
    const file = vault;
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    expect(Buffer.from(file.subarray(0, 8)).toString('latin1')).toBe('LIFEBOAT');
    expect(view.getUint16(8)).toBe(1);
    expect(file[10]).toBe(1);
    expect(view.getUint32(11)).toBe(COST.passes);
    expect(view.getUint32(15)).toBe(COST.memoryKiB);
    expect(file[19]).toBe(1);
    const salt = file.slice(20, 36);
    const keys = crypto.deriveKeys(PASSPHRASE, salt, COST.passes, COST.memoryKiB);
    expect(Buffer.from(file.subarray(60, 92))).toEqual(Buffer.from(crypto.keyCheck(keys.check, file.subarray(0, 60))));
    expect(Buffer.from(file.subarray(92, 124))).toEqual(createHash('sha256').update(file.subarray(0, 92)).digest());
    const plaintext = crypto.open(keys.encryption, file.subarray(36, 60), file.subarray(124), file.subarray(0, 60));
    expect(plaintext && parseContent(JSON.parse(Buffer.from(plaintext).toString('utf8')))).toEqual(SAMPLE);
  });

  it('uses a fresh salt and nonce for every file', () => {
    const again = encryptVault(SAMPLE, PASSPHRASE, COST);
    expect(Buffer.from(again.subarray(20, 36))).not.toEqual(Buffer.from(vault.subarray(20, 36)));
    expect(Buffer.from(again.subarray(36, 60))).not.toEqual(Buffer.from(vault.subarray(36, 60)));
  });

  it('knows the floor and the cap at their boundaries', () => {
    expect(isBelowFloor(FLOOR_COST)).toBe(false);
    expect(isBelowFloor({ passes: 2, memoryKiB: 19455 })).toBe(true);
    expect(isBelowFloor({ passes: 1, memoryKiB: 65536 })).toBe(true);
    expect(isWithinCap(CAP_COST)).toBe(true);
    expect(isWithinCap(MINIMUM_COST)).toBe(true);
    for (const cost of [{ passes: 21, memoryKiB: 8 }, { passes: 1, memoryKiB: 1048577 }, { passes: 0, memoryKiB: 8 }, { passes: 1, memoryKiB: 7 }]) {
      expect(isWithinCap(cost)).toBe(false);
    }
  });
});

describe('round trip (4, 5)', () => {
  it('decrypts what it encrypted', () => {
    for (const content of [SAMPLE, { accounts: [], tombstones: [] }]) {
      const { content: back, header } = decryptVault(encryptVault(content, PASSPHRASE, COST), PASSPHRASE);
      expect(back).toEqual(content);
      expect(header.cost).toEqual(COST);
    }
  });

  it('pads the plaintext with spaces to a multiple of 512 bytes, so the file is 140 + 512·k bytes', () => {
    for (const length of [0, 1, 300, 510, 511, 512, 513, 1023, 1024, 1025, 5000]) {
      // The note's length moves the JSON's length across the 512-byte boundaries.
      const content: VaultContent = { accounts: [{ ...SAMPLE.accounts[0]!, note: 'x'.repeat(length + 1) }], tombstones: [] };
      const json = Buffer.from(contentToJson(content), 'utf8');
      const plaintext = encodeContent(content);
      expect(plaintext.length % 512).toBe(0);
      expect(plaintext.length).toBeGreaterThan(json.length);
      expect(plaintext.length - json.length).toBeLessThanOrEqual(512);
      expect(Buffer.from(plaintext.subarray(0, json.length))).toEqual(json);
      expect(plaintext.subarray(json.length).every((byte) => byte === 0x20)).toBe(true);
      const file = encryptVault(content, PASSPHRASE, COST);
      expect((file.length - 140) % 512).toBe(0);
      expect(file.length).toBe(CIPHERTEXT_OFFSET + plaintext.length + 16);
      expect(decodeContent(plaintext).content).toEqual(content);
    }
  });

  it('writes the keys in the documented order (5.2), whatever order they came in', () => {
    const shuffled = JSON.parse(
      '{"tombstones":[{"removedAt":"2025-05-05T05:05:05Z","id":"t"}],"accounts":[{"batches":[{"codes":[{"spentAt":null,"code":"1"}],' +
        '"printedAt":null,"supersededAt":null,"source":"typed","addedAt":"2025-01-01T00:00:00Z","id":"b"}],"createdAt":"2025-01-01T00:00:00Z",' +
        '"note":null,"username":null,"service":null,"name":"n","id":"a"}]}',
    ) as VaultContent;
    expect(contentToJson(shuffled)).toBe(
      '{"version":2,"clock":{},"accounts":[{"id":"a","name":"n","service":null,"username":null,"note":null,"createdAt":"2025-01-01T00:00:00Z",' +
        '"stamps":{"name":[0,""],"service":[0,""],"username":[0,""],"note":[0,""]},"batches":[{"id":"b",' +
        '"addedAt":"2025-01-01T00:00:00Z","seq":[0,""],"source":"typed","supersededAt":null,"printedAt":null,"codes":[{"code":"1","spentAt":null}]}]}],' +
        '"tombstones":[{"id":"t","removedAt":"2025-05-05T05:05:05Z"}]}',
    );
  });

  it('reads absent optional keys as null and ignores unknown keys (5.2)', () => {
    const content = parseContent({
      accounts: [{ id: 'a', name: 'n', createdAt: '2025-01-01T00:00:00Z', colour: 'red', batches: [{ id: 'b', addedAt: '2025-01-01T00:00:00Z', source: 'typed', codes: [{ code: '1' }] }] }],
      tombstones: [],
      future: true,
    });
    expect(contentToJson(content)).toBe(
      '{"version":2,"clock":{},"accounts":[{"id":"a","name":"n","service":null,"username":null,"note":null,"createdAt":"2025-01-01T00:00:00Z",' +
        '"stamps":{"name":[0,""],"service":[0,""],"username":[0,""],"note":[0,""]},"batches":[{"id":"b",' +
        '"addedAt":"2025-01-01T00:00:00Z","seq":[0,""],"source":"typed","supersededAt":null,"printedAt":null,"copiedAt":null,"codes":[{"code":"1","spentAt":null}]}]}],"tombstones":[]}',
    );
  });
});

describe('MUST-reject clauses (2.3), in the decoder\'s order', () => {
  it('step 1: a file shorter than 8 bytes is not a vault', () => {
    for (let length = 0; length < 8; length += 1) expect(outcome(() => decryptVault(vault.slice(0, length), PASSPHRASE))).toBe('not-a-vault');
    expect(thrown(() => parseHeader(new Uint8Array(0))).message).toBe('this file is not a lifeboat vault');
  });

  it('step 1: a file with another magic is not a vault', () => {
    const file = vault.slice();
    file.set(Buffer.from('lifeboat', 'latin1'), 0);
    expect(outcome(() => decryptVault(file, PASSPHRASE))).toBe('not-a-vault');
    expect(outcome(() => decryptVault(text('age-encryption.org/v1\n-> X25519 abc\n'), PASSPHRASE))).toBe('not-a-vault');
  });

  it('step 2: a file that ends inside the version field is damaged', () => {
    expect(outcome(() => decryptVault(vault.slice(0, 8), PASSPHRASE))).toBe('damaged');
    expect(outcome(() => decryptVault(vault.slice(0, 9), PASSPHRASE))).toBe('damaged');
  });

  it('step 2: another version is unsupported and named, checked before the checksum', () => {
    for (const version of [0, 2, 0x0100, 0xffff]) {
      const error = thrown(() => decryptVault(withUint(vault, 8, 2, version), PASSPHRASE));
      expect(error.kind).toBe('unsupported-version');
      expect(error.message).toContain(`format version ${version}`);
      expect(outcome(() => decryptVault(withChecksum(withUint(vault, 8, 2, version)), PASSPHRASE))).toBe('unsupported-version');
    }
  });

  it('step 3: a file shorter than 140 bytes is damaged', () => {
    for (const length of [10, 60, 92, 124, 139]) expect(outcome(() => decryptVault(vault.slice(0, length), PASSPHRASE))).toBe('damaged');
  });

  it('step 4: a checksum mismatch is damaged', () => {
    expect(outcome(() => decryptVault(flipBit(vault, 123, 0), PASSPHRASE))).toBe('damaged');
    expect(outcome(() => decryptVault(flipBit(vault, 30, 4), PASSPHRASE))).toBe('damaged');
    expect(thrown(() => parseHeader(flipBit(vault, 30, 4))).message).toBe('the vault is damaged or was tampered with');
  });

  it('step 5: a KDF id other than 1 is damaged, even with a valid checksum', () => {
    for (const id of [0, 2, 255]) expect(outcome(() => decryptVault(withChecksum(withUint(vault, 10, 1, id)), PASSPHRASE))).toBe('damaged');
    expect(deriveKeys).not.toHaveBeenCalled();
  });

  it('step 5: a parallelism other than 1 is damaged, even with a valid checksum', () => {
    for (const lanes of [0, 2, 4]) expect(outcome(() => decryptVault(withChecksum(withUint(vault, 19, 1, lanes)), PASSPHRASE))).toBe('damaged');
    expect(deriveKeys).not.toHaveBeenCalled();
  });

  it('step 5: a cost outside the cap is refused with kdf-limit before any key derivation (3.1)', () => {
    const costs: [offset: number, value: number][] = [
      [15, 0xffffffff], // 4 TiB
      [15, CAP_COST.memoryKiB + 1],
      [15, MINIMUM_COST.memoryKiB - 1],
      [15, 0],
      [11, CAP_COST.passes + 1],
      [11, 0xffffffff],
      [11, 0],
    ];
    for (const [offset, value] of costs) {
      const error = thrown(() => decryptVault(withChecksum(withUint(vault, offset, 4, value)), PASSPHRASE));
      expect(error.kind).toBe('kdf-limit');
      expect(error.message).toContain('outside the limits');
    }
    expect(deriveKeys).not.toHaveBeenCalled();
    // The cap itself is allowed (the file is then parsed, not derived here: that would take 1 GiB).
    const atCap = withChecksum(withUint(withUint(vault, 11, 4, CAP_COST.passes), 15, 4, CAP_COST.memoryKiB));
    expect(parseHeader(atCap).cost).toEqual(CAP_COST);
  });

  it('step 6: a key check mismatch is "wrong passphrase", its own error, after one derivation', () => {
    const error = thrown(() => decryptVault(vault, passphraseBytes('correct horse battery stapler')));
    expect(error.kind).toBe('wrong-passphrase');
    expect(error.message).toBe("wrong passphrase, or the file's header was changed");
    expect(deriveKeys).toHaveBeenCalledTimes(1);
  });

  it('step 6: the passphrase is bytes: NFD and NFC spellings differ unless the caller normalizes (3.2)', () => {
    const nfc = passphraseBytes('Zürich');
    const file = encryptVault(SAMPLE, nfc, COST);
    expect(outcome(() => decryptVault(file, new Uint8Array(Buffer.from('Zu\u0308rich', 'utf8'))))).toBe('wrong-passphrase');
    expect(outcome(() => decryptVault(file, passphraseBytes('Zu\u0308rich')))).toBe('ok');
  });

  it('step 7: a changed ciphertext or tag byte is damaged', () => {
    expect(outcome(() => decryptVault(flipBit(vault, CIPHERTEXT_OFFSET, 0), PASSPHRASE))).toBe('damaged');
    expect(outcome(() => decryptVault(flipBit(vault, vault.length - 20, 6), PASSPHRASE))).toBe('damaged');
    expect(outcome(() => decryptVault(flipBit(vault, vault.length - 1, 7), PASSPHRASE))).toBe('damaged');
    expect(outcome(() => decryptVault(vault.slice(0, vault.length - 1), PASSPHRASE))).toBe('damaged');
    expect(outcome(() => decryptVault(vault.slice(0, MINIMUM_FILE_BYTES), PASSPHRASE))).toBe('damaged');
  });

  it('step 7: a header changed by someone who knows the passphrase is still caught by the tag (associated data)', () => {
    // Re-sign a header with another nonce byte: key check and checksum are valid, the tag is not.
    const keys = crypto.deriveKeys(PASSPHRASE, vault.slice(20, 36), COST.passes, COST.memoryKiB);
    const file = flipBit(vault, 40, 0);
    file.set(crypto.keyCheck(keys.check, file.subarray(0, 60)), 60);
    const resigned = withChecksum(file);
    expect(outcome(() => parseHeader(resigned))).toBe('ok');
    expect(outcome(() => decryptVault(resigned, PASSPHRASE))).toBe('damaged');
  });

  it('step 8: content that is not UTF-8 is damaged', () => {
    const plaintext = encodeContent({ accounts: [], tombstones: [] });
    plaintext[plaintext.length - 1] = 0xff;
    const error = thrown(() => decryptVault(sealPlaintext(plaintext), PASSPHRASE));
    expect(error.kind).toBe('damaged');
    expect(error.message).toBe('the vault is damaged: its content is not valid UTF-8 JSON');
  });

  it('step 8: content that is not JSON is damaged', () => {
    expect(outcome(() => decryptVault(sealPlaintext(text('{"accounts":[],"tombstones":[]')), PASSPHRASE))).toBe('damaged');
    expect(outcome(() => decryptVault(sealPlaintext(text('')), PASSPHRASE))).toBe('damaged');
  });

  it('step 8: JSON that is not the schema is damaged', () => {
    expect(outcome(() => decryptVault(sealPlaintext(text('{"accounts":{},"tombstones":[]}')), PASSPHRASE))).toBe('damaged');
  });

  it('accepts any JSON whitespace after the content, and no padding at all (5.1)', () => {
    expect(outcome(() => decryptVault(sealPlaintext(text('{"accounts":[],"tombstones":[]}')), PASSPHRASE))).toBe('ok');
    expect(outcome(() => decryptVault(sealPlaintext(text(' \n{"accounts":[],"tombstones":[]}\r\n\t  ')), PASSPHRASE))).toBe('ok');
  });
});

describe('content validation (5.2)', () => {
  const account = { id: 'a', name: 'n', service: null, username: null, note: null, createdAt: '2025-01-01T00:00:00Z', batches: [] };
  const batch = { id: 'b', addedAt: '2025-01-01T00:00:00Z', source: 'typed', supersededAt: null, printedAt: null, codes: [] };
  const withAccount = (changes: Record<string, unknown>): unknown => ({ accounts: [{ ...account, ...changes }], tombstones: [] });
  const withBatch = (changes: Record<string, unknown>): unknown => withAccount({ batches: [{ ...batch, ...changes }] });

  const bad: [string, unknown][] = [
    ['the root is a list', []],
    ['the root is null', null],
    ['accounts is missing', { tombstones: [] }],
    ['tombstones is missing', { accounts: [] }],
    ['accounts is an object', { accounts: {}, tombstones: [] }],
    ['an account is a string', { accounts: ['github'], tombstones: [] }],
    ['an account has no id', withAccount({ id: undefined })],
    ['an account id is a number', withAccount({ id: 7 })],
    ['an account name is empty', withAccount({ name: '' })],
    ['a service is a number', withAccount({ service: 1 })],
    ['a note is empty', withAccount({ note: '' })],
    ['createdAt is missing', withAccount({ createdAt: undefined })],
    ['createdAt is a date only', withAccount({ createdAt: '2025-01-01' })],
    ['createdAt has an offset', withAccount({ createdAt: '2025-01-01T00:00:00+00:00' })],
    ['createdAt has ten fraction digits', withAccount({ createdAt: '2025-01-01T00:00:00.0123456789Z' })],
    ['createdAt has a trailing newline', withAccount({ createdAt: '2025-01-01T00:00:00Z\n' })],
    ['createdAt has non-ASCII digits', withAccount({ createdAt: '２025-01-01T00:00:00Z' })],
    ['batches is missing', withAccount({ batches: undefined })],
    ['a batch has no source', withBatch({ source: undefined })],
    ['supersededAt is not a time', withBatch({ supersededAt: 'yesterday' })],
    ['printedAt is a number', withBatch({ printedAt: 0 })],
    ['codes is a string', withBatch({ codes: '1234 5678' })],
    ['a code is a number', withBatch({ codes: [{ code: 12345678, spentAt: null }] })],
    ['a code is empty', withBatch({ codes: [{ code: '', spentAt: null }] })],
    ['a code is a bare string', withBatch({ codes: ['1234 5678'] })],
    ['spentAt is true', withBatch({ codes: [{ code: '1', spentAt: true }] })],
    ['a tombstone has no removedAt', { accounts: [], tombstones: [{ id: 't' }] }],
    ['a tombstone id is empty', { accounts: [], tombstones: [{ id: '', removedAt: '2025-01-01T00:00:00Z' }] }],
    ['two names differ only in case', { accounts: [{ ...account, id: 'a1', name: 'Mail' }, { ...account, id: 'a2', name: 'mail' }], tombstones: [] }],
    ['two accounts share an id', { accounts: [{ ...account, name: 'x' }, { ...account, name: 'y' }], tombstones: [] }],
    ['a batch shares an account\'s id', withAccount({ id: 'same', batches: [{ ...batch, id: 'same' }] })],
    ['two batches share an id', withAccount({ batches: [batch, { ...batch }] })],
  ];

  it.each(bad)('rejects content where %s, as damaged', (_, value) => {
    expect(outcome(() => parseContent(value))).toBe('damaged');
    expect(outcome(() => decodeContent(text(JSON.stringify(value) ?? 'undefined')))).toBe('damaged');
  });

  it('says where the content is wrong, never what it holds', () => {
    const error = thrown(() => parseContent(withBatch({ codes: [{ code: '8d2e4-19f0a', spentAt: 'SECRET-8d2e4' }] })));
    expect(error.message).toBe('the vault is damaged: account 1 batch 1 code 1 spentAt is not a UTC time');
    expect(error.message).not.toContain('8d2e4');
    const json = thrown(() => decodeContent(text('{"accounts":[{"code":"8d2e4-19f0a"}')));
    expect(json.message).not.toContain('8d2e4');
  });

  it('names the place of the first problem, however deep', () => {
    const mark = (at: unknown): unknown => ({ id: 'm1', at, undoneAt: null });
    const places: [unknown, string][] = [
      [{ accounts: [account, { ...account, id: 'a2', batches: {} }], tombstones: [] }, 'account 2 batches is not a list'],
      [withBatch({ codes: [{ code: '1', spentAt: null }, { code: '2', spentAt: null }, { spentAt: null }] }), 'account 1 batch 1 code 3 is not a non-empty string'],
      [withAccount({ stamps: { name: [1, 'x'], service: [0, ''], username: [0, ''], note: [0, ''] } }), 'account 1 stamps name is not a stamp'],
      [withBatch({ codes: [{ code: '1', spentAt: null, marks: [mark('2025-01-01T00:00:00Z'), mark('soon')] }] }), 'account 1 batch 1 code 1 mark 2 at is not a UTC time'],
      [withBatch({ seq: [-1, ''] }), 'account 1 batch 1 seq has a counter that is not a whole number'],
      [{ accounts: [], tombstones: [{ id: 't1', removedAt: '2025-01-01T00:00:00Z' }, { id: 't2', removedAt: '2025-01-01T00:00:00Z', batches: [7] }] }, 'tombstone 2 batch 1 is not an id'],
      [{ version: 2, clock: { 'not-a-device': 1 }, accounts: [], tombstones: [] }, 'clock has a malformed device id'],
    ];
    for (const [value, place] of places) expect(thrown(() => parseContent(value)).message).toBe(`the vault is damaged: ${place}`);
  });

  it('writes every code with exactly the documented keys in their order, whatever shape it was read in', () => {
    const codes = '[{"spentAt":null,"code":"1111 2222"},{"code":"3333 4444","spentAt":null,"extra":"x"},{"code":"5555 6666","spentAt":null,"__proto__":{"x":1}},{"code":"7777 8888","spentAt":null}]';
    const json = `{"accounts":[{"id":"a","name":"n","createdAt":"2025-01-01T00:00:00Z","batches":[{"id":"b","addedAt":"2025-01-01T00:00:00Z","source":"typed","codes":${codes}}]}],"tombstones":[]}`;
    const { content } = decodeContent(text(json));
    const written = JSON.parse(contentToJson(content)) as { accounts: { batches: { codes: object[] }[] }[] };
    const shapes = written.accounts[0]!.batches[0]!.codes.map((code) => Object.keys(code).join(','));
    expect(shapes).toEqual(['code,spentAt', 'code,spentAt', 'code,spentAt', 'code,spentAt']);
    expect(content.accounts[0]!.batches[0]!.codes.map((code) => Object.keys(code).join(','))).toEqual(shapes);
    // What lifeboat wrote reads back to the same text.
    const again = contentToJson(decodeContent(encodeContent(content)).content);
    expect(again).toBe(contentToJson(content));
  });

  it('accepts the documented shapes: fractions up to 9 digits, absent optional keys', () => {
    expect(outcome(() => parseContent(withAccount({ createdAt: '2025-01-01T00:00:00.123456789Z' })))).toBe('ok');
    expect(outcome(() => parseContent(withAccount({ service: undefined, username: undefined, note: undefined })))).toBe('ok');
    expect(outcome(() => parseContent(withBatch({ codes: [{ code: '1' }] })))).toBe('ok');
  });
});

describe('sweeps', () => {
  let small: Uint8Array;
  beforeAll(() => {
    small = encryptVault({ accounts: [], tombstones: [] }, PASSPHRASE, COST);
  });

  /** The message a flipped bit at this offset must produce (docs/vault-format.md 2.3, the region table). */
  function regionOf(offset: number): string {
    if (offset < 8) return 'not-a-vault';
    if (offset < 10) return 'unsupported-version';
    return 'damaged';
  }

  it('rejects every single-bit flip with the message of its region, never as a wrong passphrase', () => {
    expect(small.length).toBe(140 + 512);
    const seen: Record<string, number> = {};
    // Header, key check and checksum (bytes 0–123): each flip fails in parseHeader, before any derivation.
    for (let offset = 0; offset < CIPHERTEXT_OFFSET; offset += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const kind = outcome(() => decryptVault(flipBit(small, offset, bit), PASSPHRASE));
        expect(kind, `byte ${offset} bit ${bit}`).toBe(regionOf(offset));
        seen[kind] = (seen[kind] ?? 0) + 1;
      }
    }
    expect(deriveKeys).not.toHaveBeenCalled();
    // Ciphertext and tag: the header still parses; one derived key serves every flip.
    const keys = deriveForHeader(PASSPHRASE, parseHeader(small));
    for (let offset = CIPHERTEXT_OFFSET; offset < small.length; offset += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const file = flipBit(small, offset, bit);
        const kind = outcome(() => decryptWithKeys(file, parseHeader(file), keys));
        expect(kind, `byte ${offset} bit ${bit}`).toBe('damaged');
        seen[kind] = (seen[kind] ?? 0) + 1;
      }
    }
    expect(deriveKeys).toHaveBeenCalledTimes(1);
    expect(seen).toEqual({ 'not-a-vault': 64, 'unsupported-version': 16, damaged: small.length * 8 - 80 });
  });

  it('rejects the file truncated at every length', () => {
    const keys = deriveForHeader(PASSPHRASE, parseHeader(small));
    for (let length = 0; length < small.length; length += 1) {
      const file = small.slice(0, length);
      const expected = length < 8 ? 'not-a-vault' : 'damaged';
      if (length < MINIMUM_FILE_BYTES) {
        expect(outcome(() => decryptVault(file, PASSPHRASE)), `length ${length}`).toBe(expected);
      } else {
        expect(outcome(() => decryptWithKeys(file, parseHeader(file), keys)), `length ${length}`).toBe(expected);
      }
    }
    expect(deriveKeys).toHaveBeenCalledTimes(1);
  });
});
