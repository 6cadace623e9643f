// The unlock agent's protocol (issue 9): framing capped in size and time, malformed messages refused, and the
// socket folder refused unless it is this user's own, mode 700.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MAX_MESSAGE_BYTES,
  MAX_SESSION_MS,
  encodeMessage,
  folderProblem,
  parseRequest,
  parseResponse,
  parseStartRequest,
  readLine,
  runtimeDirProblem,
} from '../../src/cli/agent-protocol.js';
import { parseDuration } from '../../src/cli/commands/unlock.js';
import { UsageError } from '../../src/cli/errors.js';

const keys = { salt: 'c2FsdA==', passes: 1, memoryKiB: 8, encryption: 'ZQ==', check: 'Yw==' };

describe('messages', () => {
  it('reads the requests it knows and nothing else', () => {
    expect(parseRequest('{"v":1,"op":"get","vault":"/v"}')).toEqual({ v: 1, op: 'get', vault: '/v' });
    expect(parseRequest('{"v":1,"op":"lock"}')).toEqual({ v: 1, op: 'lock' });
    for (const bad of ['', 'null', '[]', '{"v":2,"op":"lock"}', '{"v":1,"op":"get"}', '{"v":1,"op":"get","vault":""}', '{"v":1,"op":"passphrase"}', '{"v":1']) {
      expect(parseRequest(bad)).toBeNull();
    }
  });

  it('refuses a start request beyond the 8-hour cap or without keys', () => {
    const start = { v: 1, runtimeDir: '/run/user/1', vault: '/v', keys, idleMs: 1000, lifetimeMs: 1000 };
    expect(parseStartRequest(JSON.stringify(start))).toEqual(start);
    expect(parseStartRequest(JSON.stringify({ ...start, lifetimeMs: MAX_SESSION_MS + 1 }))).toBeNull();
    expect(parseStartRequest(JSON.stringify({ ...start, idleMs: 0 }))).toBeNull();
    expect(parseStartRequest(JSON.stringify({ ...start, keys: { ...keys, check: '' } }))).toBeNull();
  });

  it('reads responses, and refuses a get answer without keys', () => {
    expect(parseResponse('{"v":1,"ok":false,"reason":"other-vault"}')).toEqual({ v: 1, ok: false, reason: 'other-vault' });
    expect(parseResponse(JSON.stringify({ v: 1, ok: true, op: 'get', keys, until: 'x' }))?.ok).toBe(true);
    expect(parseResponse('{"v":1,"ok":true,"op":"get","until":"x"}')).toBeNull();
  });

  it('frames one line, and refuses to frame more than the cap', () => {
    expect(encodeMessage({ v: 1, op: 'lock' })).toBe('{"v":1,"op":"lock"}\n');
    expect(() => encodeMessage({ v: 1, op: 'get', vault: 'x'.repeat(MAX_MESSAGE_BYTES) })).toThrow(RangeError);
  });
});

describe('readLine', () => {
  it('returns the first line', async () => {
    const stream = new PassThrough();
    const line = readLine(stream, 1000);
    stream.write('{"v":1,');
    stream.write('"op":"lock"}\nmore');
    expect(await line).toBe('{"v":1,"op":"lock"}');
  });

  it('gives up on a line longer than the cap, on a time-out, and at the end of the stream', async () => {
    const long = new PassThrough();
    const tooLong = readLine(long, 1000);
    long.write('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect(await tooLong).toBeNull();
    const started = Date.now();
    expect(await readLine(new PassThrough(), 100)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    const ended = new PassThrough();
    const atEnd = readLine(ended, 1000);
    ended.end('no newline');
    expect(await atEnd).toBeNull();
  });
});

describe('the socket folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-agent-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('needs an absolute XDG_RUNTIME_DIR', () => {
    expect(runtimeDirProblem(undefined)).toBe('XDG_RUNTIME_DIR is not set');
    expect(runtimeDirProblem('run')).toContain('not an absolute path');
    expect(runtimeDirProblem('/run/user/1000')).toBeNull();
  });

  it('accepts a folder of mode 700 and refuses one others may reach, a symlink, or a file', () => {
    const folder = path.join(dir, 'lifeboat');
    fs.mkdirSync(folder, { mode: 0o700 });
    expect(folderProblem(folder)).toBeNull();
    fs.chmodSync(folder, 0o750);
    expect(folderProblem(folder)).toContain('has mode 750, so other users may reach it');
    fs.chmodSync(folder, 0o700);
    fs.symlinkSync(folder, path.join(dir, 'link'));
    expect(folderProblem(path.join(dir, 'link'))).toContain('is not a folder');
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(folderProblem(path.join(dir, 'file'))).toContain('is not a folder');
    expect(folderProblem(path.join(dir, 'missing'))).toContain('cannot be read');
  });

  it('refuses an agent.sock that is not a socket, and accepts a real one', async () => {
    const folder = path.join(dir, 'lifeboat');
    fs.mkdirSync(folder, { mode: 0o700 });
    fs.writeFileSync(path.join(folder, 'agent.sock'), '');
    expect(folderProblem(folder)).toContain('is not a socket');
    fs.rmSync(path.join(folder, 'agent.sock'));
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(folder, 'agent.sock'), resolve));
    try {
      expect(folderProblem(folder)).toBeNull();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('--for', () => {
  it('takes hours, minutes and seconds from 1s to 8h', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('8h')).toBe(MAX_SESSION_MS);
    for (const bad of ['', '0s', '8h1s', '15', '1d', '-5m', '1.5h']) expect(() => parseDuration(bad)).toThrow(UsageError);
  });
});
