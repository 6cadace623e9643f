import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VaultContent } from '../../src/domain/index.js';
import { loadCrypto } from '../../src/vault/crypto.js';
import { VaultError } from '../../src/vault/errors.js';
import { MINIMUM_COST, decryptVault, encryptVault } from '../../src/vault/format.js';
import {
  backupPath,
  createVault,
  openVault,
  readVaultCopy,
  restoreBackup,
  type OpenVault,
  type VaultOptions,
} from '../../src/vault/vault-file.js';
import { flipBit, passphraseBytes } from '../support/vectors.js';

/**
 * The vault on disk (docs/vault-format.md, section 6): modes, never clobbering, atomic saves with a backup
 * mirror, the lock, and a file changed under us. Every vault here uses the minimum cost (1 pass, 8 KiB).
 */

const COST = { passes: 1, memoryKiB: 8 };
const PASSPHRASE = passphraseBytes('correct horse battery staple');
const NEW_PASSPHRASE = passphraseBytes('Grüße aus Zürich ✓');

const SAMPLE: VaultContent = {
  accounts: [
    {
      id: '0d7b3e95c2a16f84',
      name: 'instagram',
      service: null,
      username: null,
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
          codes: [
            { code: '2847 1093', spentAt: null },
            { code: '5610 7724', spentAt: null },
          ],
        },
      ],
    },
  ],
  tombstones: [],
};

/** A change that adds a tombstone with this id, and returns how many there are now. */
function addTombstone(id: string) {
  return (content: VaultContent) => {
    const next = { ...content, tombstones: [...content.tombstones, { id, removedAt: '2025-06-01T00:00:00.000Z' }] };
    return { content: next, result: next.tombstones.length };
  };
}

let folder: string;
let file: string;
let warn: ReturnType<typeof vi.fn<(message: string) => void>>;
let options: VaultOptions;
const opened: OpenVault[] = [];

beforeAll(loadCrypto);

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-store-'));
  file = path.join(folder, 'vault.lifeboat');
  warn = vi.fn<(message: string) => void>();
  options = { lockTimeoutMs: 2000, warn, device: () => 'd0d0d0d0d0d0d0d0' };
});

afterEach(() => {
  for (const vault of opened.splice(0)) vault.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

async function create(content: VaultContent = SAMPLE, at = file): Promise<void> {
  await createVault(at, PASSPHRASE, COST, content, { warn });
}

async function open(passphrase = PASSPHRASE, at = file): Promise<OpenVault> {
  const vault = await openVault(at, passphrase, options);
  opened.push(vault);
  return vault;
}

function read(at = file): Buffer {
  return fs.readFileSync(at);
}

function mode(at: string): number {
  return fs.statSync(at).mode & 0o777;
}

/** Every name in the folder except the vault and its backup (temp files, locks). */
function extras(): string[] {
  return fs.readdirSync(folder).filter((name) => name !== 'vault.lifeboat' && name !== 'vault.lifeboat.backup').sort();
}

async function rejection(promise: Promise<unknown>): Promise<VaultError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}

function contentOf(bytes: Uint8Array, passphrase = PASSPHRASE): VaultContent {
  return decryptVault(new Uint8Array(bytes), passphrase).content;
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid ?? 999_999;
}

describe('creating (6.1, 6.2)', () => {
  for (const umask of [undefined, 0]) {
    it(`creates the folder 0700 and the vault and its backup 0600${umask === undefined ? '' : ' under umask 0'}`, async () => {
      const previous = umask === undefined ? undefined : process.umask(umask);
      try {
        const nested = path.join(folder, 'new', 'place', 'vault.lifeboat');
        await create(SAMPLE, nested);
        expect(mode(path.dirname(nested))).toBe(0o700);
        expect(mode(nested)).toBe(0o600);
        expect(mode(backupPath(nested))).toBe(0o600);
        expect(read(backupPath(nested))).toEqual(read(nested));
        expect(contentOf(read(nested))).toEqual(SAMPLE);
        const vault = await open(PASSPHRASE, nested);
        await vault.update(addTombstone('7e570000000000a1'));
        expect(mode(nested)).toBe(0o600);
        expect(mode(backupPath(nested))).toBe(0o600);
      } finally {
        if (previous !== undefined) process.umask(previous);
      }
    });
  }

  it('refuses to overwrite an existing file, vault or not', async () => {
    fs.writeFileSync(file, 'my novel, chapter 1\n');
    const error = await rejection(create());
    expect(error.kind).toBe('exists');
    expect(read().toString()).toBe('my novel, chapter 1\n');
    expect(fs.existsSync(backupPath(file))).toBe(false);
    expect(extras()).toEqual([]);
  });

  it('warns about an existing folder that others can read, without changing it', async () => {
    fs.chmodSync(folder, 0o755);
    await create();
    expect(mode(folder)).toBe(0o755);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('can be read by other users'));
  });
});

describe('opening', () => {
  it('says a missing vault is missing', async () => {
    expect((await rejection(open())).kind).toBe('missing');
  });

  it('tells a wrong passphrase from a damaged file, and names the backup for the latter', async () => {
    await create();
    expect((await rejection(open(NEW_PASSPHRASE))).kind).toBe('wrong-passphrase');
    fs.writeFileSync(file, flipBit(read(), 300, 0));
    const damaged = await rejection(open());
    expect(damaged.kind).toBe('damaged');
    expect(damaged.message).toContain(backupPath(file));
    expect(damaged.hint).toContain('restore-backup');
  });

  it('warns that a minimum-cost vault is below the floor, and that a readable file is readable', async () => {
    await create();
    fs.chmodSync(file, 0o644);
    await open();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('below the recommended floor'));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('can be read by other users'));
  });
});

describe('saving (6.1, 6.2)', () => {
  it('saves a change, returns its result, and mirrors the new file into the backup', async () => {
    await create();
    const vault = await open();
    const before = read();
    expect(await vault.update(addTombstone('7e570000000000a1'))).toBe(1);
    expect(read()).not.toEqual(before);
    expect(contentOf(read()).tombstones).toEqual([{ id: '7e570000000000a1', removedAt: '2025-06-01T00:00:00.000Z' }]);
    expect(read(backupPath(file))).toEqual(read());
    expect(vault.content).toEqual(contentOf(read()));
    expect(extras()).toEqual([]);
  });

  it('writes nothing when the change throws: the vault and backup are byte-identical, no temp or lock is left', async () => {
    await create();
    const vault = await open();
    const [main, backup] = [read(), read(backupPath(file))];
    await expect(
      vault.update(() => {
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(read()).toEqual(main);
    expect(read(backupPath(file))).toEqual(backup);
    expect(extras()).toEqual([]);
  });

  it('removes temp files left by a killed process on the next write, and only those', async () => {
    await create();
    const leftovers = ['.vault.lifeboat.tmp-12345-a1b2c3d4e5f6', '.vault.lifeboat.tmp-1-000000000000', '.vault.lifeboat.backup.tmp-7-0123456789ab'];
    for (const name of leftovers) fs.writeFileSync(path.join(folder, name), 'half a vault');
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'mine');
    const vault = await open();
    await vault.update(addTombstone('7e570000000000a1'));
    expect(extras()).toEqual(['notes.txt']);
  });

  it('re-reads the file under the lock, so a change by another process is not lost', async () => {
    await create();
    const first = await open();
    const second = await open();
    await first.update(addTombstone('f1f1f1f1f1f1f1f1'));
    expect(await second.update(addTombstone('f2f2f2f2f2f2f2f2'))).toBe(2);
    expect(contentOf(read()).tombstones.map((tombstone) => tombstone.id)).toEqual(['f1f1f1f1f1f1f1f1', 'f2f2f2f2f2f2f2f2']);
  });

  it('says the vault is missing if it vanished since it was opened', async () => {
    await create();
    const vault = await open();
    fs.unlinkSync(file);
    expect((await rejection(vault.update(addTombstone('7e570000000000a1')))).kind).toBe('missing');
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('the lock (6.3)', () => {
  const lockFile = (): string => `${file}.lock`;

  it('takes over a stale lock whose process is dead on this host', async () => {
    await create();
    const vault = await open();
    fs.writeFileSync(lockFile(), `${deadPid()} ${os.hostname()} 0123456789abcdef\n`);
    expect(await vault.update(addTombstone('7e570000000000a1'))).toBe(1);
    expect(fs.existsSync(lockFile())).toBe(false);
    expect(fs.existsSync(`${lockFile()}.break`)).toBe(false);
  });

  it('takes over a lock older than 5 minutes even if its pid is alive (pid reuse)', async () => {
    await create();
    const vault = await open();
    fs.writeFileSync(lockFile(), `${process.pid} ${os.hostname()} 0123456789abcdef\n`);
    const old = new Date(Date.now() - 6 * 60 * 1000);
    fs.utimesSync(lockFile(), old, old);
    expect(await vault.update(addTombstone('7e570000000000a1'))).toBe(1);
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('takes over an empty lock left by a process killed before it wrote its pid', async () => {
    await create();
    const vault = await open();
    fs.writeFileSync(lockFile(), '');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(lockFile(), old, old);
    expect(await vault.update(addTombstone('7e570000000000a1'))).toBe(1);
  });

  for (const [owner, describeOwner] of [
    [() => `${process.pid} ${os.hostname()} 0123456789abcdef\n`, 'a live process on this host'],
    [() => `${deadPid()} another-host.example 0123456789abcdef\n`, 'a process on another host'],
  ] as const) {
    it(`waits for a lock held by ${describeOwner}, then fails with "locked", writing nothing`, async () => {
      await create();
      const vault = await open();
      const held = owner();
      fs.writeFileSync(lockFile(), held);
      const before = read();
      options = { ...options, lockTimeoutMs: 150 };
      const locked = await openVault(file, PASSPHRASE, options);
      opened.push(locked);
      const error = await rejection(locked.update(addTombstone('7e570000000000a1')));
      expect(error.kind).toBe('locked');
      expect(error.message).toContain(`held by process ${held.split(' ')[0]}`);
      expect(read()).toEqual(before);
      expect(fs.readFileSync(lockFile(), 'utf8')).toBe(held);
      expect(vault.content).toEqual(SAMPLE);
    });
  }

  it('holds the lock with "pid host token" during a change, and releases it after', async () => {
    await create();
    const vault = await open();
    let during = '';
    await vault.update((content) => {
      during = fs.readFileSync(lockFile(), 'utf8');
      return { content, result: null };
    });
    expect(during).toMatch(new RegExp(`^${process.pid} ${os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} [0-9a-f]{16}\\n$`));
    expect(fs.existsSync(lockFile())).toBe(false);
  });
});

describe('changed on disk (6.4)', () => {
  /** Replaces the vault file as a sync tool would: a new file renamed over it. */
  function replaceBehindOurBack(content: VaultContent): Buffer {
    const bytes = Buffer.from(encryptVault(content, PASSPHRASE, COST));
    const temp = path.join(folder, 'sync-tool-download');
    fs.writeFileSync(temp, bytes);
    fs.renameSync(temp, file);
    return bytes;
  }

  it('detects a file replaced after the re-read and redoes the change once on the new file', async () => {
    await create();
    const vault = await open();
    const theirs: VaultContent = { ...SAMPLE, tombstones: [{ id: '5c5c5c5c5c5c5c5c', removedAt: '2025-05-05T00:00:00Z' }] };
    const seen: VaultContent[] = [];
    const result = await vault.update((content) => {
      seen.push(content);
      if (seen.length === 1) replaceBehindOurBack(theirs);
      return addTombstone('0000000000000a1e')(content);
    });
    expect(seen).toEqual([SAMPLE, theirs]);
    expect(result).toBe(2);
    expect(contentOf(read()).tombstones.map((tombstone) => tombstone.id)).toEqual(['5c5c5c5c5c5c5c5c', '0000000000000a1e']);
    expect(read(backupPath(file))).toEqual(read());
    expect(extras()).toEqual([]);
  });

  it('gives up with "changed-on-disk" when the file changes again, writing nothing', async () => {
    await create();
    const vault = await open();
    const backup = read(backupPath(file));
    let last: Buffer = Buffer.alloc(0);
    let calls = 0;
    const error = await rejection(
      vault.update((content) => {
        calls += 1;
        last = replaceBehindOurBack({ ...SAMPLE, tombstones: [{ id: `sync-${calls}`, removedAt: '2025-05-05T00:00:00Z' }] });
        return addTombstone('0000000000000a1e')(content);
      }),
    );
    expect(error.kind).toBe('changed-on-disk');
    expect(calls).toBe(2);
    expect(read()).toEqual(last);
    expect(read(backupPath(file))).toEqual(backup);
    expect(extras()).toEqual([]);
  });
});

describe('rekey and restore', () => {
  it('rekeys the vault and its backup: the new passphrase opens both, the old one is wrong', async () => {
    await create();
    const vault = await open();
    await vault.rekey(NEW_PASSPHRASE, COST);
    expect((await open(NEW_PASSPHRASE)).content).toEqual(SAMPLE);
    expect((await rejection(open(PASSPHRASE))).kind).toBe('wrong-passphrase');
    expect(await readVaultCopy(backupPath(file), NEW_PASSPHRASE)).toEqual(SAMPLE);
    expect((await rejection(readVaultCopy(backupPath(file), PASSPHRASE))).kind).toBe('wrong-passphrase');
    expect(read(backupPath(file))).toEqual(read());
    // The same handle keeps working with the new key.
    await vault.update(addTombstone('00000000000a17e5'));
    expect(contentOf(read(), NEW_PASSPHRASE).tombstones.map((tombstone) => tombstone.id)).toEqual(['00000000000a17e5']);
    expect(mode(file)).toBe(0o600);
  });

  it('rekeys with a fresh salt', async () => {
    await create();
    const before = read();
    const vault = await open();
    await vault.rekey(PASSPHRASE, COST);
    expect(read().subarray(20, 36)).not.toEqual(before.subarray(20, 36));
    expect(contentOf(read())).toEqual(SAMPLE);
  });

  it('restores the backup over a damaged vault after checking the passphrase on it', async () => {
    await create();
    const vault = await open();
    await vault.update(addTombstone('7e570000000000a1'));
    const good = read();
    const damaged = Buffer.from(flipBit(good, 200, 3));
    fs.writeFileSync(file, damaged);
    expect((await rejection(restoreBackup(file, NEW_PASSPHRASE, options))).kind).toBe('wrong-passphrase');
    expect(read()).toEqual(damaged);
    const restored = await restoreBackup(file, PASSPHRASE, options);
    expect(restored.tombstones.map((tombstone) => tombstone.id)).toEqual(['7e570000000000a1']);
    expect(read()).toEqual(good);
    expect(mode(file)).toBe(0o600);
    expect((await open()).content).toEqual(restored);
    expect(extras()).toEqual([]);
  });

  it('says there is no backup when there is none, and changes nothing', async () => {
    await create();
    fs.unlinkSync(backupPath(file));
    const before = read();
    expect((await rejection(restoreBackup(file, PASSPHRASE, options))).kind).toBe('missing');
    expect(read()).toEqual(before);
  });
});
