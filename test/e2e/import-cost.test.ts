// End-to-end: `lifeboat import` of an encrypted export whose key derivation costs more than the default (issue 11,
// finding 8: "an export may demand the full key-derivation cap (a 652-byte file with a wrong passphrase cost 40 s and
// 1.1 GB) … ask before deriving above the default cost for a file that is not the vault itself").
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCrypto } from '../../src/vault/crypto.js';
import { CAP_COST, encryptVault } from '../../src/vault/format.js';
import { smallContent } from '../proof/tamper.js';
import { bytesOf, sandbox, type Sandbox } from '../support/cli.js';
import { passphraseBytes, withChecksum, withUint } from '../support/vectors.js';

const EXPORT_PASSPHRASE = 'the export passphrase';
/** Header offsets of the cost (docs/vault-format.md 2.1): passes at 11, memory in KiB at 15, both u32 big-endian. */
const PASSES_AT = 11;
const MEMORY_AT = 15;

let box: Sandbox;
beforeAll(async () => {
  await loadCrypto();
});
beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
});
afterEach(() => box.cleanup());

/** An export at `passes` passes and 8 KiB: above the default by its passes, yet cheap to really derive. */
function cheapButAboveDefault(passes: number): string {
  const file = path.join(box.dir, 'export.lifeboat');
  fs.writeFileSync(file, encryptVault(smallContent(), passphraseBytes(EXPORT_PASSPHRASE), { passes, memoryKiB: 8 }), { mode: 0o600 });
  return file;
}

/** An export whose header asks for the cap (1 GiB, 20 passes), its checksum recomputed: what a hostile sender makes. */
function atTheCap(): string {
  const file = path.join(box.dir, 'bomb.lifeboat');
  let bytes = encryptVault(smallContent(), passphraseBytes(EXPORT_PASSPHRASE), { passes: 1, memoryKiB: 8 });
  bytes = withUint(bytes, PASSES_AT, 4, CAP_COST.passes);
  bytes = withUint(bytes, MEMORY_AT, 4, CAP_COST.memoryKiB);
  fs.writeFileSync(file, withChecksum(bytes), { mode: 0o600 });
  return file;
}

const env = { LIFEBOAT_NEW_PASSPHRASE: EXPORT_PASSPHRASE };

describe('lifeboat import of an export above the default key-derivation cost', () => {
  it('without a terminal and without --yes: refused before any derivation (exit 2), the vault unchanged', () => {
    const file = atTheCap();
    const before = bytesOf(box.vault);
    const started = Date.now();
    const run = box.run(['import', file], { env });
    const elapsed = Date.now() - started;
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `lifeboat: error: ${file} asks for 1024 MiB and 20 passes of key derivation, about 41 s, more than the default 64 MiB and 3 passes: refused without a terminal to confirm on`,
    );
    expect(run.stderr).toContain('lifeboat: hint: add --yes to go ahead');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    // Deriving at the cap takes about 40 s and 1 GiB; a refusal takes no longer than any other command.
    expect(elapsed).toBeLessThan(8000);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('the cost alone above the default (4 passes) is enough to ask', () => {
    const file = cheapButAboveDefault(4);
    const before = bytesOf(box.vault);
    const run = box.run(['import', file], { env });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`lifeboat: error: ${file} asks for 0 MiB and 4 passes of key derivation, about 1 s`);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('with --yes the export is read and imported', () => {
    const file = cheapButAboveDefault(4);
    const run = box.run(['import', file, '--yes'], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`lifeboat: imported ${file}: 1 account added`);
    expect(box.run(['list']).stdout).toContain('instagram');
  });

  it('an export at or below the default cost is read without asking', () => {
    const file = cheapButAboveDefault(3);
    const run = box.run(['import', file], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain(`lifeboat: imported ${file}: 1 account added`);
  });
});
