// Conflict copies (issue 8): every pattern from real names, as each tool writes them (sources cited in
// src/vault/conflict-copies.ts), and names that must not be taken for a copy of the vault.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { conflictToolOf, findConflictCopies } from '../../src/vault/index.js';

const COPIES: readonly [string, string, string][] = [
  // Syncthing: name + ".sync-conflict-" + YYYYMMDD-HHMMSS + "-" + short device id + ext.
  ['vault.lifeboat', 'vault.sync-conflict-20261202-101500-ABCDEF1.lifeboat', 'syncthing'],
  ['vault.lifeboat', 'vault.sync-conflict-20240229-235959-7QXZ2MA.lifeboat', 'syncthing'],
  ['codes', 'codes.sync-conflict-20261202-101500-ABCDEF1', 'syncthing'],
  // Nextcloud / ownCloud desktop: " (conflicted copy [user ]yyyy-MM-dd hhmmss)" before the extension.
  ['vault.lifeboat', 'vault (conflicted copy 2026-12-02 101500).lifeboat', 'nextcloud'],
  ['vault.lifeboat', 'vault (conflicted copy alice 2026-12-02 101500).lifeboat', 'nextcloud'],
  ['vault.lifeboat', 'vault (conflicted copy Alice Martin 2026-12-02 101500).lifeboat', 'nextcloud'],
  // ownCloud's older tag.
  ['vault.lifeboat', 'vault_conflict-20261202-101500.lifeboat', 'owncloud'],
  // Dropbox: " (<person or computer>'s conflicted copy yyyy-MM-dd)", numbered when there are several.
  ['vault.lifeboat', "vault (Alice's MacBook Pro's conflicted copy 2026-12-02).lifeboat", 'dropbox'],
  ['vault.lifeboat', "vault (DESKTOP-4H2K9's conflicted copy 2026-12-02 (1)).lifeboat", 'dropbox'],
  // Seafile: " (SFConflict <modifier> %Y-%m-%d-%H-%M-%S)", the modifier left out when unknown.
  ['vault.lifeboat', 'vault (SFConflict alice@example.com 2026-12-02-10-15-00).lifeboat', 'seafile'],
  ['vault.lifeboat', 'vault (SFConflict 2026-12-02-10-15-00).lifeboat', 'seafile'],
];

const NOT_COPIES: readonly [string, string][] = [
  ['vault.lifeboat', 'vault.lifeboat'],
  ['vault.lifeboat', 'vault.lifeboat.backup'],
  ['vault.lifeboat', '.vault.lifeboat.tmp-1234-abcdef'],
  ['vault.lifeboat', 'vault.lifeboat.lock'],
  // A copy of another file, or of the backup.
  ['vault.lifeboat', 'other.sync-conflict-20261202-101500-ABCDEF1.lifeboat'],
  ['vault.lifeboat', 'vault.lifeboat.sync-conflict-20261202-101500-ABCDEF1.backup'],
  ['vault.lifeboat', 'vault.sync-conflict-20261202-101500-ABCDEF1.txt'],
  // A name that only looks alike.
  ['vault.lifeboat', 'vault (conflicted copy).lifeboat'],
  ['vault.lifeboat', 'vault.sync-conflict-2026-12-02.lifeboat'],
  ['vault.lifeboat', 'myvault.sync-conflict-20261202-101500-ABCDEF1.lifeboat'],
];

describe('conflict-copy names', () => {
  it.each(COPIES)('%s: %s is a %s copy', (vault, copy, tool) => {
    expect(conflictToolOf(vault, copy)).toBe(tool);
  });

  it.each(NOT_COPIES)('%s: %s is not a copy', (vault, name) => {
    expect(conflictToolOf(vault, name)).toBeUndefined();
  });

  it('finds only regular files beside the vault, in name order', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-copies-'));
    try {
      const vault = path.join(dir, 'vault.lifeboat');
      for (const name of ['vault.lifeboat', 'vault.lifeboat.backup', 'vault (conflicted copy 2026-12-02 101500).lifeboat', 'vault.sync-conflict-20261202-101500-ABCDEF1.lifeboat']) {
        fs.writeFileSync(path.join(dir, name), 'x');
      }
      fs.mkdirSync(path.join(dir, 'vault.sync-conflict-20261202-101501-ABCDEF1.lifeboat'));
      expect(findConflictCopies(vault)).toEqual([
        { path: path.join(dir, 'vault (conflicted copy 2026-12-02 101500).lifeboat'), tool: 'nextcloud' },
        { path: path.join(dir, 'vault.sync-conflict-20261202-101500-ABCDEF1.lifeboat'), tool: 'syncthing' },
      ]);
      expect(findConflictCopies(path.join(dir, 'missing', 'vault.lifeboat'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
