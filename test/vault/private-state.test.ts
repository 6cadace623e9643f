// The private state folder (issue 11, finding 4: "keep private state in a 0700 folder checked for owner and mode,
// opened with O_NOFOLLOW"): modes, owner, symlinks, FIFOs, the size cap, and the device id.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultError } from '../../src/vault/errors.js';
import {
  PRIVATE_FILE_MAX_BYTES,
  deviceId,
  privateFolder,
  readPrivateFile,
  writePrivateFile,
} from '../../src/vault/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-private-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function refusal(f: () => unknown): VaultError {
  let caught: unknown;
  try {
    f();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(VaultError);
  expect((caught as VaultError).kind).toBe('unsafe-path');
  return caught as VaultError;
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array | null): string | null => (data === null ? null : new TextDecoder().decode(data));
const isRoot = process.getuid?.() === 0;

describe('privateFolder', () => {
  it('creates the folder and its missing parents with mode 0700, even under umask 0', () => {
    const base = path.join(dir, 'state', 'lifeboat');
    const old = process.umask(0);
    try {
      expect(privateFolder(base)).toBe(base);
    } finally {
      process.umask(old);
    }
    expect(fs.lstatSync(base).mode & 0o777).toBe(0o700);
    expect(fs.lstatSync(path.dirname(base)).mode & 0o777).toBe(0o700);
  });

  it('accepts an existing private folder as it is', () => {
    const base = path.join(dir, 'lifeboat');
    fs.mkdirSync(base, { mode: 0o700 });
    expect(privateFolder(base)).toBe(base);
  });

  it.each([0o750, 0o705, 0o777, 0o1777])('refuses an existing folder with mode %o, and does not chmod it', (mode) => {
    const base = path.join(dir, 'lifeboat');
    fs.mkdirSync(base);
    fs.chmodSync(base, mode);
    const error = refusal(() => privateFolder(base));
    expect(error.message).toContain(base);
    expect(error.message).toContain('other users have access');
    expect(fs.statSync(base).mode & 0o7777).toBe(mode);
  });

  it('refuses a symlink to a private folder', () => {
    const real = path.join(dir, 'real');
    fs.mkdirSync(real, { mode: 0o700 });
    const base = path.join(dir, 'lifeboat');
    fs.symlinkSync(real, base);
    expect(refusal(() => privateFolder(base)).message).toContain('symbolic link');
  });

  it('refuses a file where the folder should be', () => {
    const base = path.join(dir, 'lifeboat');
    fs.writeFileSync(base, '');
    expect(refusal(() => privateFolder(base)).message).toContain('not a folder');
  });

  it.runIf(isRoot)('refuses a folder owned by another user', () => {
    const base = path.join(dir, 'lifeboat');
    fs.mkdirSync(base, { mode: 0o700 });
    fs.chownSync(base, 65534, 65534);
    expect(refusal(() => privateFolder(base)).message).toContain('another user (uid 65534)');
  });

  it('checks the folder again on every read and write', () => {
    const base = privateFolder(path.join(dir, 'lifeboat'));
    writePrivateFile(base, 'x', bytes('1'));
    fs.chmodSync(base, 0o770);
    refusal(() => readPrivateFile(base, 'x'));
    refusal(() => writePrivateFile(base, 'x', bytes('2')));
  });
});

describe('private files', () => {
  let folder: string;
  beforeEach(() => {
    folder = privateFolder(path.join(dir, 'lifeboat'));
  });

  it('writes 0600 (even under umask 0) and reads back; a missing file reads as null', () => {
    expect(readPrivateFile(folder, 'token')).toBeNull();
    const old = process.umask(0);
    try {
      writePrivateFile(folder, 'token', bytes('abc\n'));
    } finally {
      process.umask(old);
    }
    expect(fs.statSync(path.join(folder, 'token')).mode & 0o777).toBe(0o600);
    expect(text(readPrivateFile(folder, 'token'))).toBe('abc\n');
    writePrivateFile(folder, 'token', bytes('def\n'));
    expect(text(readPrivateFile(folder, 'token'))).toBe('def\n');
    expect(fs.readdirSync(folder)).toEqual(['token']);
  });

  it('refuses a symlink in the folder, even to a file of ours, and a write replaces the link, not its target', () => {
    const outside = path.join(dir, 'outside');
    fs.writeFileSync(outside, 'planted');
    fs.symlinkSync(outside, path.join(folder, 'token'));
    expect(refusal(() => readPrivateFile(folder, 'token')).message).toContain('symbolic link');
    writePrivateFile(folder, 'token', bytes('mine'));
    expect(fs.readFileSync(outside, 'utf8')).toBe('planted');
    expect(fs.lstatSync(path.join(folder, 'token')).isFile()).toBe(true);
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const fifo = path.join(folder, 'token');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    expect(refusal(() => readPrivateFile(folder, 'token')).message).toContain('not a regular file');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a folder where a file should be', () => {
    fs.mkdirSync(path.join(folder, 'token'));
    expect(refusal(() => readPrivateFile(folder, 'token')).message).toContain('not a regular file');
  });

  it('refuses a file larger than the cap, and accepts one at the cap', () => {
    fs.writeFileSync(path.join(folder, 'big'), Buffer.alloc(PRIVATE_FILE_MAX_BYTES + 1, 0x61));
    expect(refusal(() => readPrivateFile(folder, 'big')).message).toContain(`larger than ${PRIVATE_FILE_MAX_BYTES} bytes`);
    fs.writeFileSync(path.join(folder, 'fits'), Buffer.alloc(PRIVATE_FILE_MAX_BYTES, 0x61));
    expect(readPrivateFile(folder, 'fits')?.length).toBe(PRIVATE_FILE_MAX_BYTES);
    expect(() => writePrivateFile(folder, 'big', new Uint8Array(PRIVATE_FILE_MAX_BYTES + 1))).toThrow();
  });

  it.runIf(isRoot)('refuses a file owned by another user', () => {
    const file = path.join(folder, 'token');
    fs.writeFileSync(file, 'x');
    fs.chownSync(file, 65534, 65534);
    expect(refusal(() => readPrivateFile(folder, 'token')).message).toContain('another user (uid 65534)');
  });

  it('refuses a name that would leave the folder', () => {
    expect(() => readPrivateFile(folder, '../x')).toThrow();
    expect(() => writePrivateFile(folder, '..', bytes(''))).toThrow();
  });
});

describe('deviceId', () => {
  let folder: string;
  beforeEach(() => {
    folder = privateFolder(path.join(dir, 'lifeboat'));
  });
  const ids = (...values: string[]) => {
    const queue = [...values];
    return () => queue.shift() ?? 'ffffffffffffffff';
  };

  it('draws the id once, keeps it in the file `device`, and returns the same id afterwards', () => {
    expect(deviceId(folder, ids('0123456789abcdef'))).toBe('0123456789abcdef');
    expect(fs.readFileSync(path.join(folder, 'device'), 'utf8')).toBe('0123456789abcdef\n');
    expect(fs.statSync(path.join(folder, 'device')).mode & 0o777).toBe(0o600);
    expect(deviceId(folder, ids('aaaaaaaaaaaaaaaa'))).toBe('0123456789abcdef');
  });

  it.each(['', 'nonsense\n', '0123456789ABCDEF\n', '0123456789abcde\n', '0123456789abcdef0\n', '0123456789abcdef\n\n'])(
    'replaces a malformed file (%j) and says so through warn',
    (content) => {
      fs.writeFileSync(path.join(folder, 'device'), content, { mode: 0o600 });
      const warnings: string[] = [];
      expect(deviceId(folder, ids('fedcba9876543210'), (m) => warnings.push(m))).toBe('fedcba9876543210');
      expect(warnings).toEqual([`the device id in ${path.join(folder, 'device')} was malformed and was replaced by a new one`]);
      expect(deviceId(folder, ids('aaaaaaaaaaaaaaaa'), (m) => warnings.push(m))).toBe('fedcba9876543210');
      expect(warnings).toHaveLength(1);
    },
  );

  it('refuses, rather than replaces, a symlink or a FIFO named `device`', () => {
    fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(folder, 'device'));
    refusal(() => deviceId(folder, ids('0123456789abcdef')));
    fs.unlinkSync(path.join(folder, 'device'));
    execFileSync('mkfifo', [path.join(folder, 'device')]);
    refusal(() => deviceId(folder, ids('0123456789abcdef')));
  });

  it('refuses an id drawn in the wrong shape', () => {
    expect(() => deviceId(folder, ids('XYZ'))).toThrow();
    expect(fs.existsSync(path.join(folder, 'device'))).toBe(false);
  });
});
