// The lock against hostile neighbours (issue 11, finding 4: "the lock is read with a blocking read (a FIFO named like
// the lock hangs every command past its time-out), a lock naming another host is honoured for as long as its age is
// renewed, and a lock owned by pid 1 counts as alive"). docs/vault-format.md, 6.3.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VaultError } from '../../src/vault/errors.js';
import { acquireLock, shownHost } from '../../src/vault/lock.js';

let dir: string;
let vault: string;
let lock: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-lock-'));
  vault = path.join(dir, 'vault.lifeboat');
  lock = `${vault}.lock`;
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<VaultError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VaultError);
  return error as VaultError;
}

describe('a lock that is not a regular file of ours', () => {
  it('a FIFO named like the lock is refused at once, naming the file and how to remove it, and left alone', async () => {
    execFileSync('mkfifo', [lock]);
    const started = Date.now();
    const error = await refusal(acquireLock(vault, 5000));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.kind).toBe('locked');
    expect(error.message).toBe(`the lock ${lock} is not a lock of lifeboat's: it is not a regular file`);
    expect(error.hint).toBe(`if no lifeboat is running, remove ${lock} (\`rm ${lock}\`) and try again`);
    expect(fs.lstatSync(lock).isFIFO()).toBe(true);
  });

  it('a symlink named like the lock is refused and not followed', async () => {
    const target = path.join(dir, 'elsewhere');
    fs.writeFileSync(target, `${process.pid} ${os.hostname()} 0123456789abcdef\n`);
    fs.symlinkSync(target, lock);
    const error = await refusal(acquireLock(vault, 5000));
    expect(error.message).toBe(`the lock ${lock} is not a lock of lifeboat's: it is a symbolic link`);
  });

  it('a lock larger than any lock line is refused', async () => {
    fs.writeFileSync(lock, `${process.pid} ${'h'.repeat(2000)} 0123456789abcdef\n`);
    const error = await refusal(acquireLock(vault, 5000));
    expect(error.message).toBe(`the lock ${lock} is not a lock of lifeboat's: it is larger than 1024 bytes`);
  });

  it('a break file that is a FIFO is refused too, without hanging', async () => {
    fs.writeFileSync(lock, `999999999 ${os.hostname()} 0123456789abcdef\n`);
    execFileSync('mkfifo', [`${lock}.break`]);
    const started = Date.now();
    await refusal(acquireLock(vault, 5000));
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.runIf(process.getuid?.() === 0)('a lock owned by another user is refused', async () => {
    fs.writeFileSync(lock, `${process.pid} ${os.hostname()} 0123456789abcdef\n`);
    fs.chownSync(lock, 65534, 65534);
    const error = await refusal(acquireLock(vault, 5000));
    expect(error.message).toBe(`the lock ${lock} is not a lock of lifeboat's: it belongs to another user (uid 65534)`);
  });
});

describe('whose lock is alive', () => {
  it('a lock naming pid 1 on this host is stale: pid 1 is init, never a lifeboat sharing our vault', async () => {
    fs.writeFileSync(lock, `1 ${os.hostname()} 0123456789abcdef\n`);
    const held = await acquireLock(vault, 300);
    expect(fs.readFileSync(lock, 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    held.release();
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('a live lock of ours is still waited for, then named in the error with the way to remove it', async () => {
    fs.writeFileSync(lock, `${process.pid} ${os.hostname()} 0123456789abcdef\n`);
    const error = await refusal(acquireLock(vault, 150));
    expect(error.kind).toBe('locked');
    expect(error.message).toBe(`the vault is in use by another lifeboat process (held by process ${process.pid} on ${os.hostname()}, according to ${lock})`);
    expect(error.hint).toContain(`remove ${lock} (\`rm ${lock}\`)`);
  });

  it("another host's name is shown short and without control characters", async () => {
    const host = `evil\u001b]52;c;aGk=\u0007\u202ehost${'x'.repeat(200)}`;
    fs.writeFileSync(lock, `4242 ${host} 0123456789abcdef\n`);
    const error = await refusal(acquireLock(vault, 100));
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(error.hint).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(error.message).toContain(`on ${shownHost(host)},`);
    expect(shownHost(host)).toBe(`evil]52;c;aGk=host${'x'.repeat(64 - 'evil]52;c;aGk=host'.length)}…`);
    expect(error.hint).toContain(`if no lifeboat is running on ${shownHost(host)}, remove ${lock}`);
  });

  it("another host's lock whose mtime keeps being renewed still grows old: it is broken 5 minutes after this wait first saw it", async () => {
    const foreign = '4242 another-host.example 0123456789abcdef\n';
    fs.writeFileSync(lock, foreign);
    // A clock that runs fast, and a neighbour that renews the lock's mtime to "now" at every look.
    const realNow = Date.now.bind(Date);
    let offset = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => {
      offset += 7000;
      const now = realNow() + offset;
      try {
        if (fs.readFileSync(lock, 'utf8') === foreign) fs.utimesSync(lock, now / 1000, now / 1000);
      } catch {
        // Gone: broken.
      }
      return now;
    });
    const held = await acquireLock(vault, 30 * 60 * 1000);
    expect(offset).toBeGreaterThanOrEqual(5 * 60 * 1000);
    expect(offset).toBeLessThan(8 * 60 * 1000);
    expect(fs.readFileSync(lock, 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    held.release();
  });

  it('junk renewed in the lock file is broken after the 2-second grace since first seen', async () => {
    fs.writeFileSync(lock, 'not a lock at all\n');
    const realNow = Date.now.bind(Date);
    let offset = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => {
      offset += 100;
      const now = realNow() + offset;
      try {
        fs.utimesSync(lock, now / 1000, now / 1000);
      } catch {
        // Gone: broken.
      }
      return now;
    });
    const held = await acquireLock(vault, 60_000);
    expect(offset).toBeLessThan(10_000);
    held.release();
  });
});
