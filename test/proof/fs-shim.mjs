// The test-only file-system shim (docs/reliability.md, "Test seams"). Load it with
//   node --import ./test/proof/fs-shim.mjs bin/lifeboat.js …
// It wraps the `fs.*Sync` functions of the save path (src/vault/atomic-file.ts and lock.ts call them
// through the `fs` module object, so patching that object reaches them) and, driven by its own
// variables, logs each step, fails one step with a system error, or SIGKILLs the process at one step:
//
//   LIFEBOAT_TEST_FS_LOG=<file>               append one line per step: "<step> <file name>"
//   LIFEBOAT_TEST_FS_FAIL=<step>:<nth>:<CODE>  the nth call of <step> throws CODE (ENOSPC, EIO, EACCES, …)
//                                             instead of doing anything
//   LIFEBOAT_TEST_FS_KILL=<step>:<nth>         SIGKILL this process at the nth call of <step>, before it runs
//
// Steps: open-temp write-temp fsync-temp close-temp rename link unlink-temp, open-folder fsync-folder
// close-folder, open-lock write-lock close-lock unlink-lock, read (a file opened for reading), unlink,
// and stdout (a write to standard output). Names are file names with the temp file's random part
// dropped: `.vault.lifeboat.tmp-*` is logged as `vault.lifeboat~tmp`.
// Without any of the three variables it changes nothing. It never reads a LIFEBOAT_PASSPHRASE* variable.
import fs from 'node:fs';
import path from 'node:path';
import { constants as osConstants } from 'node:os';

const logFile = process.env.LIFEBOAT_TEST_FS_LOG;
const failSpec = parseSpec(process.env.LIFEBOAT_TEST_FS_FAIL, 3);
const killSpec = parseSpec(process.env.LIFEBOAT_TEST_FS_KILL, 2);

function parseSpec(text, parts) {
  if (!text) return undefined;
  const fields = text.split(':');
  if (fields.length !== parts || !/^\d+$/.test(fields[1] ?? '')) throw new Error(`fs-shim: bad spec "${text}"`);
  return { step: fields[0], nth: Number(fields[1]), code: fields[2] };
}

if (logFile || failSpec || killSpec) install();

function install() {
  const real = {
    openSync: fs.openSync,
    writeSync: fs.writeSync,
    fsyncSync: fs.fsyncSync,
    closeSync: fs.closeSync,
    renameSync: fs.renameSync,
    linkSync: fs.linkSync,
    unlinkSync: fs.unlinkSync,
    statSync: fs.statSync,
  };
  const logFd = logFile ? real.openSync(logFile, 'a', 0o600) : undefined;
  const counts = new Map();
  /** fd → { kind: 'temp' | 'lock' | 'folder' | 'read', name } */
  const fds = new Map();

  const display = (file) => {
    const base = path.basename(String(file));
    const temp = /^\.(.+)\.tmp-.*$/.exec(base);
    return temp ? `${temp[1]}~tmp` : base;
  };

  /** Counts, logs, and kills or fails a step. Returns normally when the real call should run. */
  const step = (name, file) => {
    const nth = (counts.get(name) ?? 0) + 1;
    counts.set(name, nth);
    if (logFd !== undefined) real.writeSync(logFd, `${name} ${file}\n`);
    if (killSpec && killSpec.step === name && killSpec.nth === nth) {
      process.kill(process.pid, 'SIGKILL');
    }
    if (failSpec && failSpec.step === name && failSpec.nth === nth) {
      const errno = osConstants.errno[failSpec.code] ?? 5;
      const error = new Error(`${failSpec.code}: injected by fs-shim, ${name} '${file}'`);
      Object.assign(error, { code: failSpec.code, errno: -errno, syscall: name });
      throw error;
    }
  };

  const kindOfOpen = (file, flags) => {
    const base = path.basename(String(file));
    if (/\.tmp-/.test(base)) return 'temp';
    if (/\.lock(\.break)?$/.test(base) && flags === 'wx') return 'lock';
    // Numeric flags without a write or create bit are reads too (O_RDONLY | O_NONBLOCK | O_NOFOLLOW, issue 11).
    const readOnly = typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) === 0;
    if (flags === 'r' || flags === undefined || readOnly) {
      try {
        if (real.statSync(file).isDirectory()) return 'folder';
      } catch {
        // Missing: the real open reports it.
      }
      return 'read';
    }
    return 'other';
  };

  fs.openSync = function openSync(file, flags, mode) {
    const kind = kindOfOpen(file, flags);
    step(`open-${kind}`, display(file));
    const fd = real.openSync(file, flags, mode);
    fds.set(fd, { kind, name: display(file) });
    return fd;
  };
  fs.writeSync = function writeSync(fd, ...rest) {
    const known = fds.get(fd);
    if (known && known.kind !== 'read') step(`write-${known.kind}`, known.name);
    return real.writeSync(fd, ...rest);
  };
  fs.fsyncSync = function fsyncSync(fd) {
    const known = fds.get(fd);
    step(`fsync-${known?.kind ?? 'other'}`, known?.name ?? String(fd));
    return real.fsyncSync(fd);
  };
  fs.closeSync = function closeSync(fd) {
    const known = fds.get(fd);
    if (known && known.kind !== 'read') step(`close-${known.kind}`, known.name);
    const result = real.closeSync(fd);
    fds.delete(fd);
    return result;
  };
  fs.renameSync = function renameSync(from, to) {
    step('rename', display(to));
    return real.renameSync(from, to);
  };
  fs.linkSync = function linkSync(from, to) {
    step('link', display(to));
    return real.linkSync(from, to);
  };
  fs.unlinkSync = function unlinkSync(file) {
    const base = path.basename(String(file));
    const kind = /\.tmp-/.test(base) ? 'temp' : /\.lock(\.break)?$/.test(base) ? 'lock' : 'other';
    step(`unlink-${kind}`, display(file));
    return real.unlinkSync(file);
  };

  // stdout is data: log each write, so the log shows when a code was printed relative to the fsyncs.
  const realWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = function write(chunk, ...rest) {
    step('stdout', '-');
    return realWrite(chunk, ...rest);
  };
}
