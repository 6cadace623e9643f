// In-process tests of main, the one catch (issue 11, findings 1 and 6): standard output that fails is an
// error message and a status, never a crash; every message passes through the one sanitizer.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

/** A standard output that fails every write with an errno code, as `> /dev/full` (ENOSPC) does. */
function failingOutput(code: string): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback(Object.assign(new Error(`write ${code}`), { code }));
    },
  });
}

function io(stdout: NodeJS.WritableStream, env: NodeJS.ProcessEnv = {}): { io: Io; stderr: () => string } {
  const stderr = new PassThrough();
  let talk = '';
  stderr.on('data', (chunk: Buffer) => {
    talk += chunk.toString('utf8');
  });
  const stdin = new PassThrough();
  stdin.end();
  return { io: { stdout, stderr, stdin, stdinIsTty: false, stdoutIsTty: false, env }, stderr: () => talk };
}

describe('main when standard output fails', () => {
  it('ENOSPC: a clean error and exit 1, not a crash', async () => {
    const run = io(failingOutput('ENOSPC'));
    expect(await main(['--version'], run.io)).toBe(1);
    expect(run.stderr()).toBe(
      'lifeboat: error: could not write to standard output: no space left on the device\n' +
        'lifeboat: hint: check where standard output goes (a full disk, a pipe that closed early)\n',
    );
  });

  it('EPIPE (the reader went away on purpose, as `| head -1`): quiet, the status of the command', async () => {
    const run = io(failingOutput('EPIPE'));
    expect(await main(['--version'], run.io)).toBe(0);
    expect(run.stderr()).toBe('');
  });
});

describe('main words every failure through the one sanitizer', () => {
  it('a path with an escape sequence in an error message is shown, not obeyed', async () => {
    const run = io(new PassThrough(), { LIFEBOAT_PASSPHRASE: 'x', LIFEBOAT_INSECURE_TEST_KDF: '1' });
    const status = await main(['list', '--vault', '/nonexistent-lifeboat/\u001b]0;owned\u0007\u202e/vault.lifeboat'], run.io);
    expect(status).not.toBe(0);
    expect(run.stderr()).toContain('<U+001B>]0;owned<U+0007><U+202E>');
    expect(run.stderr()).not.toMatch(/[\u001b\u0007\u202e]/);
  });
});
