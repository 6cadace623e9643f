// Proof (issue 5, "Crash safety"), the fast subset: the order of the save path's calls from the fs
// shim's log for every save path; SIGKILL at every step of `use` and at random moments; ENOSPC/EIO/EACCES at
// every step of `use`; leftovers of a killed process; a damaged vault brought back from its backup.
// The full runs (every save path, every error, 500 random kills) are in crash.slow.test.ts.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Passphrases,
  addPath,
  faultAtEverySteps,
  killAtEverySteps,
  locksIn,
  logSteps,
  passwdPath,
  randomKills,
  removePath,
  setUpVault,
  tempsIn,
  usePath,
  type SavePath,
  type Step,
} from './crash.js';
import { STACK_TRACE, figures, proofBox, type ProofBox } from './support.js';

const report = figures();
let box: ProofBox;
let keys: Passphrases;

beforeEach(async () => {
  box = proofBox();
  await setUpVault(box, 60, 8);
  keys = new Passphrases(box);
});
afterEach(() => box.cleanup());

/** The index of the first step matching, after `from`; -1 if none. */
function find(steps: readonly Step[], from: number, step: string, file?: string): number {
  return steps.findIndex((s, i) => i > from && s.step === step && (file === undefined || s.file === file));
}

/** The steps of the vault file's own save (its temp file, the re-read, the rename, the folder fsync) and stdout. */
function isVaultStep(step: Step): boolean {
  return (step.file.startsWith('vault.lifeboat~tmp') || step.step === 'rename' || step.step === 'stdout' || (step.step.endsWith('-folder') && step.nth === 1) ||
    (step.step === 'open-read' && step.nth === 3)) && !step.file.includes('backup');
}

describe('the order of the save path, from the fs shim’s log', () => {
  it('use, add, passwd, remove: temp write, fsync, close, re-read, rename, folder fsync, backup the same way, and only then stdout', async () => {
    const paths: SavePath[] = [usePath(), addPath(), passwdPath(box), removePath()];
    const proven: string[] = [];
    for (const save of paths) {
      const { steps, run } = await logSteps(box, save, 0, keys);
      const seq = [
        find(steps, -1, 'open-lock', 'vault.lifeboat.lock'),
        find(steps, -1, 'open-temp', 'vault.lifeboat~tmp'),
      ];
      const last = (): number => seq[seq.length - 1] ?? -1;
      seq.push(find(steps, last(), 'write-temp', 'vault.lifeboat~tmp'));
      seq.push(find(steps, last(), 'fsync-temp', 'vault.lifeboat~tmp'));
      seq.push(find(steps, last(), 'close-temp', 'vault.lifeboat~tmp'));
      seq.push(find(steps, last(), 'open-read', 'vault.lifeboat')); // 6.4: the re-read just before the rename
      seq.push(find(steps, last(), 'rename', 'vault.lifeboat'));
      seq.push(find(steps, last(), 'fsync-folder', 'data'));
      const vaultDurable = last();
      seq.push(find(steps, last(), 'fsync-temp', 'vault.lifeboat.backup~tmp'));
      seq.push(find(steps, last(), 'rename', 'vault.lifeboat.backup'));
      seq.push(find(steps, last(), 'fsync-folder', 'data'));
      seq.push(find(steps, last(), 'unlink-lock', 'vault.lifeboat.lock'));
      if (save.printsCode) seq.push(find(steps, last(), 'stdout'));
      const printedEarly = steps.findIndex((s) => s.step === 'stdout');
      expect(seq.every((index) => index >= 0), `${save.name}: ${steps.map((s) => `${s.step} ${s.file}`).join(' | ')}`).toBe(true);
      expect(printedEarly < 0 || printedEarly > vaultDurable).toBe(true);
      expect(run.status).toBe(0);
      proven.push(`${save.name} (${steps.length} steps)`);
    }
    report.push(`save order proven from the fs shim log for ${proven.length}/4 save paths: ${proven.join(', ')}; stdout only after the folder fsync`);
  });
});

describe('SIGKILL', () => {
  it('at every fs step of `use`: the vault opens at the old or the new state, and its backup too', async () => {
    const sweep = await killAtEverySteps(box, usePath(), keys, 0, isVaultStep);
    report.push(`SIGKILL at every step of the vault's own save (fast: use only; every step of every path in the slow suite): ${sweep.runs - sweep.bad.length}/${sweep.runs} runs opened at the old (${sweep.old}) or new (${sweep.new}) state`);
    expect(sweep.bad).toEqual([]);
    expect(sweep.runs).toBeGreaterThanOrEqual(10);
  });

  it('at random moments of `use` (fast sample): the vault opens at the old or the new state, no code handed out unspent', async () => {
    const result = await randomKills(box, 10);
    report.push(
      `SIGKILL at random moments (fast sample): ${result.runs - result.bad.length}/${result.runs} opened at the old (${result.old}) or new (${result.new}) state; ${result.killed} killed, ${result.completed} completed; ${result.handedOutUnspent} codes handed out unspent`,
    );
    expect(result.bad).toEqual([]);
  });
});

describe('injected ENOSPC, EIO, EACCES', () => {
  it('at every step of `use` (one error per step, rotating)', async () => {
    const errors = ['ENOSPC', 'EIO', 'EACCES'];
    const sweep = await faultAtEverySteps(box, usePath(), keys, 0, errors, (step, index) => (isVaultStep(step) || step.step.endsWith('-lock') ? [errors[index % 3] ?? 'EIO'] : []));
    report.push(
      `injected errors (fast: use, the lock's and the vault's own steps, one error each): ${sweep.runs - sweep.bad.length}/${sweep.runs} as promised (before the rename ${sweep.byPhase['before-rename']}, folder fsync ${sweep.byPhase['folder-fsync']}, backup ${sweep.byPhase.backup}, after ${sweep.byPhase.after})`,
    );
    expect(sweep.bad).toEqual([]);
  });
});

describe('leftovers of a killed process', () => {
  it('a temp file and a lock from a process killed just before its rename: ignored on read, cleaned up on the next write', async () => {
    const killed = await box.run(['use', 'main'], { shim: true, env: { LIFEBOAT_TEST_FS_KILL: 'rename:1' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(tempsIn(box.folder)).toHaveLength(1);
    expect(locksIn(box.folder)).toEqual(['vault.lifeboat.lock']);
    const list = await box.run(['list', '--json']);
    expect(list.status).toBe(0);
    expect(tempsIn(box.folder)).toHaveLength(1); // a read leaves them alone
    const use = await box.run(['use', 'main']);
    expect(use.status).toBe(0);
    expect(use.stderr).not.toMatch(/in use by another/);
    expect(tempsIn(box.folder)).toEqual([]);
    expect(locksIn(box.folder)).toEqual([]);
  });

  it('an empty lock (killed between create and write), a dead pid’s lock and break file: taken over, then removed', async () => {
    const dead = await box.run(['--version']);
    const lock = `${box.vault}.lock`;
    fs.writeFileSync(`${lock}.break`, `${dead.pid} ${(await import('node:os')).hostname()} 0123456789abcdef\n`);
    fs.writeFileSync(lock, '');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(lock, old, old);
    fs.utimesSync(`${lock}.break`, old, old);
    const use = await box.run(['use', 'main']);
    expect(use.status, use.stderr).toBe(0);
    expect(locksIn(box.folder)).toEqual([]);
    fs.writeFileSync(lock, `${dead.pid} ${(await import('node:os')).hostname()} fedcba9876543210\n`);
    const again = await box.run(['use', 'main']);
    expect(again.status, again.stderr).toBe(0);
    expect(locksIn(box.folder)).toEqual([]);
    report.push('leftovers: temp + lock of a killed process ignored on read and removed by the next write; empty, dead-pid and break locks taken over');
  });
});

describe('a damaged vault with a good backup', () => {
  it('is refused without being overwritten, the message names the backup, and restore-backup --yes brings it back', async () => {
    expect((await box.run(['use', 'main'])).status).toBe(0);
    const backup = fs.readFileSync(`${box.vault}.backup`);
    const damaged = Buffer.from(fs.readFileSync(box.vault));
    damaged[damaged.length - 40] = (damaged[damaged.length - 40] ?? 0) ^ 0x10;
    fs.writeFileSync(box.vault, damaged);
    for (const command of [['use', 'main'], ['add', 'other', '--yes'], ['list']]) {
      const run = await box.run(command, { input: '1111 2222\n' });
      expect(run.status).toBe(3);
      expect(run.stderr).toContain(`the vault is damaged or was tampered with (a backup is at ${box.vault}.backup)`);
      expect(run.stderr).toContain('lifeboat restore-backup');
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(fs.readFileSync(box.vault).equals(damaged)).toBe(true);
    }
    const unconfirmed = await box.run(['restore-backup']);
    expect(unconfirmed.status).toBe(2);
    expect(fs.readFileSync(box.vault).equals(damaged)).toBe(true);
    const restore = await box.run(['restore-backup', '--yes']);
    expect(restore.status, restore.stderr).toBe(0);
    expect(fs.readFileSync(box.vault).equals(backup)).toBe(true);
    const use = await box.run(['use', 'main']);
    expect(use.status).toBe(0);
    report.push('damaged vault + good backup: 3/3 commands refused (exit 3, backup named, file untouched); restore-backup --yes brought it back and `use` works');
  });
});

