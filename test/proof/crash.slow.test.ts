// Proof (issue 5, "Crash safety"), full runs: SIGKILL at every fs step of every save path (`use`,
// `add --yes`, `passwd`, `remove --yes`); ENOSPC, EIO and EACCES at every step of every save path; and
// 500 runs of `use` SIGKILLed at random moments. After each, the vault opens at the old or the new state.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Passphrases, addPath, faultAtEverySteps, killAtEverySteps, passwdPath, randomKills, removePath, setUpVault, usePath, type SavePath } from './crash.js';
import { figures, proofBox, type ProofBox } from './support.js';

const report = figures();
let box: ProofBox;
let keys: Passphrases;

beforeEach(async () => {
  box = proofBox();
  await setUpVault(box, 600, 120);
  keys = new Passphrases(box);
});
afterEach(() => box.cleanup());

const paths = (): SavePath[] => [usePath(), addPath(), passwdPath(box), removePath()];

describe('SIGKILL at every fs step of every save path', () => {
  it('use, add --yes, passwd, remove --yes: the vault and its backup open at the old or the new state every time', async () => {
    const lines: string[] = [];
    let runs = 0;
    let good = 0;
    const bad: string[] = [];
    for (const save of paths()) {
      const sweep = await killAtEverySteps(box, save, keys, 0);
      runs += sweep.runs;
      good += sweep.runs - sweep.bad.length;
      bad.push(...sweep.bad);
      lines.push(`${save.name} ${sweep.runs - sweep.bad.length}/${sweep.runs} (old ${sweep.old}, new ${sweep.new})`);
    }
    report.push(`SIGKILL at every step of every save path: ${good}/${runs} opened at the old or new state — ${lines.join('; ')}`);
    expect(bad).toEqual([]);
  });
});

describe('ENOSPC, EIO, EACCES at every step of every save path', () => {
  it('before the rename: non-zero, byte-identical, no temp, nothing printed; folder fsync: saved-but-unknown; backup: a warning', async () => {
    const lines: string[] = [];
    let runs = 0;
    const bad: string[] = [];
    const byPhase = { 'before-rename': 0, 'folder-fsync': 0, backup: 0, after: 0 };
    for (const save of paths()) {
      const sweep = await faultAtEverySteps(box, save, keys, 0, ['ENOSPC', 'EIO', 'EACCES']);
      runs += sweep.runs;
      bad.push(...sweep.bad);
      for (const phase of Object.keys(byPhase) as (keyof typeof byPhase)[]) byPhase[phase] += sweep.byPhase[phase];
      lines.push(`${save.name} ${sweep.runs - sweep.bad.length}/${sweep.runs}`);
    }
    report.push(
      `injected ENOSPC/EIO/EACCES at every step of every save path: ${runs - bad.length}/${runs} as promised (before the rename ${byPhase['before-rename']}, folder fsync ${byPhase['folder-fsync']}, backup refresh ${byPhase.backup}, lock release ${byPhase.after}) — ${lines.join('; ')}`,
    );
    expect(bad).toEqual([]);
  });
});

describe('500 runs of `use` SIGKILLed at random moments', () => {
  it('the vault opens at the old or the new state every time, and no code is handed out unspent', async () => {
    const result = await randomKills(box, 500);
    report.push(
      `SIGKILL at random moments: ${result.runs - result.bad.length}/${result.runs} runs of use opened at the old (${result.old}) or new (${result.new}) state; ${result.killed} killed, ${result.completed} completed, ${result.otherEnds.length} ended otherwise${result.otherEnds.length ? ` (${result.otherEnds.join('; ')})` : ''} (median run ${result.medianMs} ms); ${result.handedOutUnspent} codes handed out unspent`,
    );
    expect(result.bad).toEqual([]);
  });
});
