import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { VaultContent } from '../../src/domain/index.js';
import { loadCrypto } from '../../src/vault/crypto.js';
import { MINIMUM_COST, encryptVault } from '../../src/vault/format.js';
import { flipBit } from '../support/vectors.js';
import { STACK_TRACE, namesIn, pool, proofBox, randomCodes, type ProofBox } from './support.js';

/**
 * Shared by tamper.test.ts and tamper.slow.test.ts: a small vault, the message docs/vault-format.md (2.3)
 * assigns to each region a changed byte can hit, and flips through the real binary.
 */

/** The message each region's change must produce (docs/vault-format.md, 2.3, "Which region"). */
export const MESSAGES = {
  'not-a-vault': /lifeboat: error: this file is not a lifeboat vault/,
  'unsupported-version': /lifeboat: error: this vault has format version \d+, which this lifeboat cannot read/,
  damaged: /lifeboat: error: the vault is damaged or was tampered with/,
} as const;
export type Region = keyof typeof MESSAGES;

/** The region a byte offset belongs to. */
export function regionOf(offset: number): Region {
  if (offset < 8) return 'not-a-vault';
  if (offset < 10) return 'unsupported-version';
  return 'damaged';
}

/** A small vault (one account, a few codes): 652 bytes at lifeboat's padding. */
export function smallContent(): VaultContent {
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
            codes: randomCodes(4).map((code) => ({ code, spentAt: null })),
          },
        ],
      },
    ],
    tombstones: [],
  };
}

/** Writes a small vault for a box's passphrase at its path. */
export async function writeSmallVault(box: ProofBox): Promise<Uint8Array> {
  await loadCrypto();
  const bytes = encryptVault(smallContent(), new Uint8Array(Buffer.from(box.passphrase, 'utf8')), MINIMUM_COST);
  fs.mkdirSync(box.folder, { recursive: true, mode: 0o700 });
  fs.writeFileSync(box.vault, bytes, { mode: 0o600 });
  return bytes;
}

/** What sampled flips through the binary came to. */
export interface BinaryFlips {
  readonly runs: number;
  readonly exit3: number;
  readonly rightMessage: number;
  readonly stackTraces: number;
  readonly unchanged: number;
  readonly failures: string[];
}

/**
 * Flips `count` random bits of a small vault, one per run, and runs `use` or `list` through the real
 * binary on each: exit 3, the region's message, no stack trace, the file byte-identical, nothing new in
 * the folder. A third of the samples are drawn from the header (bytes 0–123), the rest from anywhere.
 */
export async function binaryFlips(count: number, concurrency: number): Promise<BinaryFlips> {
  const box = proofBox();
  try {
    const original = await writeSmallVault(box);
    const cases = Array.from({ length: count }, (_, i) => {
      const offset = i % 3 === 0 ? randomInt(0, 124) : randomInt(0, original.length);
      return { offset, bit: randomInt(0, 8), command: i % 2 === 0 ? ['use', 'instagram'] : ['list'] };
    });
    const results = await pool(cases, concurrency, async ({ offset, bit, command }, index) => {
      const folder = path.join(box.dir, `flip-${index}`);
      fs.mkdirSync(folder, { mode: 0o700 });
      const file = path.join(folder, 'vault.lifeboat');
      const flipped = flipBit(original, offset, bit);
      fs.writeFileSync(file, flipped, { mode: 0o600 });
      const run = await box.run(command, { env: { LIFEBOAT_VAULT: file } });
      const region = regionOf(offset);
      const result = {
        what: `byte ${offset} bit ${bit} (${region}) ${command[0]}`,
        exit3: run.status === 3,
        rightMessage: MESSAGES[region].test(run.stderr),
        stackTrace: STACK_TRACE.test(run.stderr),
        unchanged: Buffer.from(flipped).equals(fs.readFileSync(file)) && namesIn(folder).join() === 'vault.lifeboat',
        stdoutEmpty: run.stdout === '',
      };
      fs.rmSync(folder, { recursive: true, force: true });
      return result;
    });
    const failures = results
      .filter((r) => !r.exit3 || !r.rightMessage || r.stackTrace || !r.unchanged || !r.stdoutEmpty)
      .map((r) => `${r.what}: exit3=${r.exit3} message=${r.rightMessage} stack=${r.stackTrace} unchanged=${r.unchanged}`);
    return {
      runs: results.length,
      exit3: results.filter((r) => r.exit3).length,
      rightMessage: results.filter((r) => r.rightMessage).length,
      stackTraces: results.filter((r) => r.stackTrace).length,
      unchanged: results.filter((r) => r.unchanged).length,
      failures,
    };
  } finally {
    box.cleanup();
  }
}
