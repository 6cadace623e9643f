// End-to-end: hostile files and names (issue 11): --out never replaces what is not a regular file
// (finding 5), every CSV cell is defused (finding 7), and a rewritten header does not pass for a plain
// wrong passphrase (finding 9).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, instagramCodes, sandbox, talk, type Sandbox } from '../support/cli.js';
import { writeRawVault } from '../support/raw-vault.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

function withCodes(): void {
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'ig'], { input: instagramCodes(4).join('\n') }).status).toBe(0);
}

function fifo(name: string): string {
  const file = path.join(box.dir, name);
  expect(spawnSync('mkfifo', ['-m', '600', file]).status).toBe(0);
  return file;
}

describe('--out with --force and something that is not a regular file (finding 5)', () => {
  const writers: [string, string[], Record<string, string>][] = [
    ['print', ['print', 'ig', '--force', '--out'], {}],
    ['print --format html', ['print', 'ig', '--format', 'html', '--force', '--out'], {}],
    ['export --plaintext', ['export', '--plaintext', '--force', '--out'], {}],
    ['export (encrypted)', ['export', '--force', '--out'], { LIFEBOAT_NEW_PASSPHRASE: 'another passphrase' }],
  ];

  it.each(writers)('%s refuses a FIFO, which stays a FIFO, exit 1', (_, args, env) => {
    withCodes();
    const pipe = fifo('sheet');
    const before = bytesOf(box.vault);
    const run = box.run([...args, pipe], { env });
    expect(run.status).toBe(1);
    expect(talk(run)).toContain(`lifeboat: error: ${pipe} is not a regular file (a FIFO, a device or a socket): nothing was written`);
    expect(fs.lstatSync(pipe).isFIFO()).toBe(true);
    expect(fs.readdirSync(box.dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it.each(writers)('%s names a folder as a folder, with or without --force', (_, args, env) => {
    withCodes();
    const folder = path.join(box.dir, 'sheets');
    fs.mkdirSync(folder);
    for (const force of [true, false]) {
      const run = box.run([...args.filter((arg) => force || arg !== '--force'), folder], { env });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`lifeboat: error: ${folder} is a folder, not a file: nothing was written`);
      expect(run.stderr).toContain(`lifeboat: hint: give a file name, such as ${path.join(folder, 'codes.txt')}`);
    }
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('a regular file is still replaced with --force', () => {
    withCodes();
    const file = path.join(box.dir, 'sheet.txt');
    fs.writeFileSync(file, 'old');
    expect(box.run(['print', 'ig', '--force', '--out', file]).status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('TWO-FACTOR BACKUP CODES');
  });
});

describe('the CSV export of a vault holding crafted codes and ids (finding 7)', () => {
  it('defuses every cell that a spreadsheet would run as a formula, code and batch columns included', async () => {
    const t = '2026-01-02T03:04:05.000Z';
    await writeRawVault(box.vault, {
      accounts: [
        {
          id: 'a0000000000000000000000000000001',
          name: 'github',
          service: null,
          username: null,
          note: null,
          createdAt: t,
          batches: [
            {
              id: '=1+1',
              addedAt: t,
              source: 'typed',
              supersededAt: null,
              printedAt: null,
              copiedAt: null,
              codes: ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2-2', '@SUM(1)', '1234 5678'].map((code) => ({ code, spentAt: null })),
            },
          ],
        },
      ],
      tombstones: [],
    });
    const run = box.run(['export', '--plaintext', '--format', 'csv']);
    expect(run.status).toBe(0);
    const rows = run.stdout.trimEnd().split('\r\n').slice(1);
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      const cells = [...row.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, ''));
      for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@]/);
    }
    expect(rows[0]).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(rows[4]).toContain(',1234 5678,');
  });
});

describe('a header rewritten with its checksum recomputed (finding 9)', () => {
  it('is not reported as a plain wrong passphrase: the message names both possibilities', () => {
    withCodes();
    const bytes = fs.readFileSync(box.vault);
    // 2.1: passes at bytes 11-14, big-endian; 2.2: the checksum is SHA-256 of bytes 0-91, at 92-123.
    bytes.writeUInt32BE(bytes.readUInt32BE(11) + 1, 11);
    createHash('sha256').update(bytes.subarray(0, 92)).digest().copy(bytes, 92);
    fs.writeFileSync(box.vault, bytes);
    const run = box.run(['list']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("lifeboat: error: wrong passphrase, or the file's header was changed");
  });
});
