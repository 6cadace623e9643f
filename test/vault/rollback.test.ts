// What a device saw of a vault, kept in its private state folder (issue 8, "Rollback").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privateFolder, readSeen, writeSeen } from '../../src/vault/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-seen-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the record of what this device saw', () => {
  it('round-trips, keyed by the vault path, and holds no code', () => {
    const folder = privateFolder(path.join(dir, 'state'));
    writeSeen(folder, '/vaults/a.lifeboat', { clock: { aaaaaaaaaaaaaaaa: 3 }, spent: ['b1:0', 'b1:2'] });
    expect(readSeen(folder, '/vaults/a.lifeboat')).toEqual({ clock: { aaaaaaaaaaaaaaaa: 3 }, spent: ['b1:0', 'b1:2'] });
    expect(readSeen(folder, '/vaults/b.lifeboat')).toBeNull();
    const [file] = fs.readdirSync(folder);
    expect(file).toMatch(/^seen-[0-9a-f]{16}\.json$/);
    expect(fs.statSync(path.join(folder, file!)).mode & 0o777).toBe(0o600);
  });

  it('keeps the spent codes of a large vault (far more than the 64 KiB of the other private files)', () => {
    const folder = privateFolder(path.join(dir, 'state'));
    const spent = Array.from({ length: 50_000 }, (_, i) => `${i.toString(16).padStart(32, '0')}:${i % 10}`);
    writeSeen(folder, '/vaults/big.lifeboat', { clock: { aaaaaaaaaaaaaaaa: 9 }, spent });
    expect(readSeen(folder, '/vaults/big.lifeboat')?.spent).toHaveLength(50_000);
  });

  it('reads a malformed record as none, never as a reason to refuse the vault', () => {
    const folder = privateFolder(path.join(dir, 'state'));
    writeSeen(folder, '/vaults/a.lifeboat', { clock: {}, spent: [] });
    const [file] = fs.readdirSync(folder);
    fs.writeFileSync(path.join(folder, file!), '{"clock": 5, ', { mode: 0o600 });
    expect(readSeen(folder, '/vaults/a.lifeboat')).toBeNull();
  });
});
