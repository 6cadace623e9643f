import fs from 'node:fs';
import path from 'node:path';
import type { VaultContent } from '../../src/domain/index.js';
import { namesIn, randomCodes, randomPassphrase, type ProofBox, type ProofRun } from './support.js';

/**
 * Shared by crash.test.ts and crash.slow.test.ts: the four save paths (`use`, `add --yes`, `passwd`,
 * `remove --yes`), each with a predicate telling the old state, the new state, and anything else apart.
 */

/** One step of the save path as the fs shim logs it: `<step> <file>`, and its occurrence number. */
export interface Step {
  readonly step: string;
  readonly file: string;
  readonly nth: number;
}

/** Parses a shim log into steps, numbering each step name's occurrences from 1. */
export function parseLog(text: string): Step[] {
  const counts = new Map<string, number>();
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [step = '', file = ''] = line.split(' ');
      const nth = (counts.get(step) ?? 0) + 1;
      counts.set(step, nth);
      return { step, file, nth };
    });
}

/** Temp files (`.<name>.tmp-*`) in a folder. */
export function tempsIn(folder: string): string[] {
  return namesIn(folder).filter((name) => name.includes('.tmp-'));
}

/** Lock files in a folder. */
export function locksIn(folder: string): string[] {
  return namesIn(folder).filter((name) => /\.lock(\.break)?$/.test(name));
}

/**
 * A canonical text of a content, for comparisons: its facts. The clock (which every save advances) and the
 * spend events behind each `spentAt` are the save's own bookkeeping, and are left out.
 */
export function canonical(content: unknown): string {
  return JSON.stringify(content, (key, value: unknown) => (key === 'clock' || key === 'marks' ? undefined : value));
}

/** A save path under test: how to run it once, and what the vault may look like afterwards. */
export interface SavePath {
  readonly name: string;
  /** Arguments, stdin and extra variables for the next run (each run may need a fresh account name). */
  next(round: number): { args: string[]; input?: string; env?: Record<string, string> };
  /** 'old', 'new' or a reason it is neither. `passphrase` is the one the vault opened with. */
  judge(before: VaultContent, after: VaultContent, round: number, openedWithNew: boolean): 'old' | 'new' | string;
  /** Whether the run prints a code on stdout when it succeeds. */
  readonly printsCode: boolean;
}

function withoutSpentAt(content: VaultContent, account: string, code: string): VaultContent {
  return {
    ...content,
    accounts: content.accounts.map((a) =>
      a.name !== account
        ? a
        : { ...a, batches: a.batches.map((b) => ({ ...b, codes: b.codes.map((c) => (c.code === code ? { ...c, spentAt: null } : c)) })) },
    ),
  };
}

/** The code `use` hands out next: the first unspent code of the latest-added batch. */
export function nextCode(content: VaultContent, account: string): string | undefined {
  const found = content.accounts.find((a) => a.name === account);
  const batch = found?.batches.filter((b) => b.supersededAt === null).at(-1);
  return batch?.codes.find((c) => c.spentAt === null)?.code;
}

/** `use main`: the next code gets a spent mark, nothing else changes. */
export function usePath(): SavePath {
  return {
    name: 'use',
    printsCode: true,
    next: () => ({ args: ['use', 'main'] }),
    judge(before, after) {
      if (canonical(after) === canonical(before)) return 'old';
      const code = nextCode(before, 'main');
      if (code === undefined) return 'no code was left to use';
      const spent = after.accounts.find((a) => a.name === 'main')?.batches.flatMap((b) => b.codes).find((c) => c.code === code);
      if (!spent?.spentAt) return `the next code ${code} is not spent, yet the vault changed`;
      return canonical(withoutSpentAt(after, 'main', code)) === canonical(before) ? 'new' : 'changed beyond one spent mark';
    },
  };
}

/** `add added-N --yes` with fresh codes: a new account appears with exactly those codes. */
export function addPath(): SavePath {
  const codesByRound = new Map<number, string[]>();
  const codesFor = (round: number): string[] => {
    if (!codesByRound.has(round)) codesByRound.set(round, randomCodes(3));
    return codesByRound.get(round) ?? [];
  };
  return {
    name: 'add --yes',
    printsCode: false,
    next: (round) => ({ args: ['add', `added-${round}`, '--yes'], input: `${codesFor(round).join('\n')}\n` }),
    judge(before, after, round) {
      if (canonical(after) === canonical(before)) return 'old';
      const added = after.accounts.filter((a) => !before.accounts.some((b) => b.id === a.id));
      const kept = after.accounts.filter((a) => before.accounts.some((b) => b.id === a.id));
      if (canonical({ accounts: kept, tombstones: after.tombstones }) !== canonical(before)) return 'existing accounts changed';
      if (added.length !== 1 || added[0]?.name !== `added-${round}`) return `added ${added.map((a) => a.name).join(', ')}`;
      const codes = added[0].batches.flatMap((b) => b.codes);
      return canonical(codes.map((c) => c.code)) === canonical(codesFor(round)) && codes.every((c) => c.spentAt === null) ? 'new' : 'wrong codes added';
    },
  };
}

/** `remove extra-N --yes` (the accounts made beforehand): the account goes, a tombstone with its id comes. */
export function removePath(): SavePath {
  return {
    name: 'remove --yes',
    printsCode: false,
    next: (round) => ({ args: ['remove', `extra-${round}`, '--yes'] }),
    judge(before, after, round) {
      if (canonical(after) === canonical(before)) return 'old';
      const gone = before.accounts.find((a) => a.name === `extra-${round}`);
      if (!gone) return `extra-${round} was not there to remove`;
      const rest = before.accounts.filter((a) => a !== gone);
      if (canonical(after.accounts) !== canonical(rest)) return 'other accounts changed';
      const added = after.tombstones.filter((t) => !before.tombstones.some((u) => u.id === t.id));
      return added.length === 1 && added[0]?.id === gone.id && after.tombstones.length === before.tombstones.length + 1 ? 'new' : 'wrong tombstones';
    },
  };
}

/**
 * `passwd` to a fresh passphrase each round: the content never changes; the vault opens with the old
 * passphrase (old state) or the new one (new state). The caller swaps the passphrase file when it moved.
 */
export function passwdPath(box: ProofBox): SavePath & { newPassphrase(round: number): string } {
  const passphrases = new Map<number, string>();
  const newPassphrase = (round: number): string => {
    if (!passphrases.has(round)) passphrases.set(round, randomPassphrase());
    return passphrases.get(round) ?? '';
  };
  return {
    name: 'passwd',
    printsCode: false,
    newPassphrase,
    next: (round) => {
      const file = path.join(box.dir, `new-passphrase-${round}.txt`);
      fs.writeFileSync(file, `${newPassphrase(round)}\n`, { mode: 0o600 });
      return { args: ['passwd'], env: { LIFEBOAT_NEW_PASSPHRASE_FILE: file } };
    },
    judge(before, after, _round, openedWithNew) {
      if (canonical(after) !== canonical(before)) return 'content changed';
      return openedWithNew ? 'new' : 'old';
    },
  };
}

/** The first code-looking line of stdout, if any. */
export function printedCode(run: ProofRun): string | undefined {
  const line = run.stdout.split('\n')[0]?.trim();
  return line ? line : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Drivers
// ---------------------------------------------------------------------------------------------------------

const DAY = '2025-03-01T10:00:00.000Z';

function account(name: string, codes: readonly string[], index: number): VaultContent['accounts'][number] {
  const id = (index + 1).toString(16).padStart(16, '0');
  return {
    id,
    name,
    service: null,
    username: null,
    note: null,
    createdAt: DAY,
    batches: [{ id: `b${id.slice(1)}`, addedAt: DAY, source: 'stdin', supersededAt: null, printedAt: null, copiedAt: null, codes: codes.map((code) => ({ code, spentAt: null })) }],
  };
}

/**
 * Creates the box's vault in-process (createVault: the real create path, at the minimum cost): an account
 * `main` with `mainCodes` codes and accounts `extra-0` … `extra-(extras-1)` with one code each.
 */
export async function setUpVault(box: ProofBox, mainCodes: number, extras: number): Promise<void> {
  const { createVault } = await import('../../src/vault/vault-file.js');
  const { MINIMUM_COST } = await import('../../src/vault/format.js');
  const codes = randomCodes(mainCodes + extras);
  const content: VaultContent = {
    accounts: [account('main', codes.slice(0, mainCodes), 0), ...Array.from({ length: extras }, (_, i) => account(`extra-${i}`, [codes[mainCodes + i] ?? ''], i + 1))],
    tombstones: [],
  };
  await createVault(box.vault, new Uint8Array(Buffer.from(box.passphrase, 'utf8')), MINIMUM_COST, content, { warn: () => undefined });
}

/** What a sweep over the steps of one save path came to. */
export interface Sweep {
  readonly path: string;
  runs: number;
  old: number;
  new: number;
  /** Runs whose outcome was wrong, with why. */
  readonly bad: string[];
  /** Steps of the log (the normal run), in order. */
  steps: Step[];
}

/** The current passphrase of a box's vault, which `passwd` runs move; kept in the box's passphrase file. */
export class Passphrases {
  current: string;
  /** Every passphrase the vault has had, oldest first (a backup may lag one behind). */
  readonly all: string[];
  private readonly box: ProofBox;
  constructor(box: ProofBox) {
    this.box = box;
    this.current = box.passphrase;
    this.all = [box.passphrase];
  }
  set(passphrase: string): void {
    this.current = passphrase;
    if (!this.all.includes(passphrase)) this.all.push(passphrase);
    fs.writeFileSync(this.box.passphraseFile, `${passphrase}\n`, { mode: 0o600 });
  }
}

/** Opens a file with the first of these passphrases that is not wrong (newest first). */
async function openWithAny(box: ProofBox, file: string, passphrases: readonly string[]): Promise<VaultContent | string> {
  let last: VaultContent | string = 'wrong-passphrase';
  for (const passphrase of [...passphrases].reverse()) {
    last = await box.state(file, passphrase);
    if (last !== 'wrong-passphrase') return last;
  }
  return last;
}

/** Reads the vault after a run: with the current passphrase, else (passwd) with the round's new one. */
async function stateAfter(box: ProofBox, file: string, keys: Passphrases, alternative: string | undefined): Promise<{ content: VaultContent | string; withNew: boolean }> {
  const first = await box.state(file, keys.current);
  if (typeof first !== 'string' || first !== 'wrong-passphrase' || alternative === undefined) return { content: first, withNew: false };
  return { content: await box.state(file, alternative), withNew: true };
}

/**
 * Removes the lock, break and temp files a previous run left on purpose (a kill, an injected unlink failure),
 * so that every run of a sweep goes through the same numbered steps as the logged run. Taking such leftovers
 * over is proven on its own (crash.test.ts, "leftovers of a killed process").
 */
export function clearLeftovers(box: ProofBox): void {
  for (const name of [...locksIn(box.folder), ...tempsIn(box.folder)]) fs.rmSync(path.join(box.folder, name), { force: true });
}

/** Runs a save path once normally with the shim's log on, and returns its steps. */
export async function logSteps(box: ProofBox, save: SavePath, round: number, keys: Passphrases): Promise<{ steps: Step[]; run: ProofRun }> {
  const log = path.join(box.dir, `steps-${save.name.replace(/\W+/g, '-')}-${round}.log`);
  const next = save.next(round);
  clearLeftovers(box);
  const run = await box.run(next.args, { input: next.input, shim: true, env: { ...next.env, LIFEBOAT_TEST_FS_LOG: log } });
  if (run.status !== 0) throw new Error(`${save.name} failed without injection: ${run.stderr}`);
  if ('newPassphrase' in save) keys.set((save as ReturnType<typeof passwdPath>).newPassphrase(round));
  return { steps: parseLog(fs.readFileSync(log, 'utf8')), run };
}

/**
 * SIGKILLs a save path at each step of its log (one run per step, through the shim), and checks after
 * each that the vault opens at the old or the new state, that its backup opens at a state seen before,
 * and that a printed code is a spent one.
 */
export async function killAtEverySteps(box: ProofBox, save: SavePath, keys: Passphrases, firstRound: number, only: (step: Step) => boolean = () => true): Promise<Sweep> {
  const { steps } = await logSteps(box, save, firstRound, keys);
  const sweep: Sweep = { path: save.name, runs: 0, old: 0, new: 0, bad: [], steps };
  const seen = new Set<string>();
  let round = firstRound;
  for (const step of steps.filter(only)) {
    round += 1;
    const before = await box.state(box.vault, keys.current);
    if (typeof before === 'string') throw new Error(`the vault does not open before ${save.name} round ${round}: ${before}`);
    seen.add(canonical(before));
    const next = save.next(round);
    clearLeftovers(box);
    const run = await box.run(next.args, { input: next.input, shim: true, env: { ...next.env, LIFEBOAT_TEST_FS_KILL: `${step.step}:${step.nth}` } });
    const where = `${save.name} killed at ${step.step}:${step.nth} (${step.file})`;
    sweep.runs += 1;
    if (run.signal !== 'SIGKILL') sweep.bad.push(`${where}: not killed (status ${run.status})`);
    const alternative = 'newPassphrase' in save ? (save as ReturnType<typeof passwdPath>).newPassphrase(round) : undefined;
    const after = await stateAfter(box, box.vault, keys, alternative);
    if (typeof after.content === 'string') {
      sweep.bad.push(`${where}: the vault does not open (${after.content})`);
      continue;
    }
    const verdict = save.judge(before, after.content, round, after.withNew);
    if (verdict === 'old') sweep.old += 1;
    else if (verdict === 'new') sweep.new += 1;
    else sweep.bad.push(`${where}: ${verdict}`);
    const code = printedCode(run);
    if (code !== undefined && (verdict !== 'new' || code !== nextCode(before, 'main'))) sweep.bad.push(`${where}: printed ${code} without its spent mark`);
    if (after.withNew && alternative !== undefined) keys.set(alternative);
    seen.add(canonical(after.content));
    const backup = await openWithAny(box, `${box.vault}.backup`, alternative ? [...keys.all, alternative] : keys.all);
    if (typeof backup === 'string' || !seen.has(canonical(backup))) {
      sweep.bad.push(`${where}: the backup does not open at a state the vault had (${typeof backup === 'string' ? backup : 'unknown state'})`);
    }
  }
  return sweep;
}

/** Where a step lies relative to the vault's rename: what a failure there must do. */
export type Phase = 'before-rename' | 'folder-fsync' | 'backup' | 'after';

/** Classifies each step of a log by its position around `rename <vault>` and the backup's temp file. */
export function phases(steps: readonly Step[], vaultName: string): Phase[] {
  const rename = steps.findIndex((s) => s.step === 'rename' && s.file === vaultName);
  const backup = steps.findIndex((s, i) => i > rename && s.step === 'open-temp');
  const unlock = steps.findIndex((s, i) => i > rename && s.step === 'unlink-lock');
  return steps.map((_, i) => (i <= rename ? 'before-rename' : backup < 0 || i < backup ? 'folder-fsync' : unlock < 0 || i < unlock ? 'backup' : 'after'));
}

/** What a sweep of injected failures came to, by phase. */
export interface FaultSweep {
  readonly path: string;
  runs: number;
  readonly byPhase: Record<Phase, number>;
  readonly bad: string[];
}

/**
 * Makes each step of a save path fail once with each of `errors` (through the shim) and checks what the
 * user sees and what is on disk (issue 5): before the rename, a non-zero exit, the vault byte-identical, no
 * temp file, nothing on stdout; at the folder fsync, a non-zero exit saying the change was saved but its
 * durability is unknown, nothing on stdout; in the backup's refresh, success with a warning.
 */
export async function faultAtEverySteps(
  box: ProofBox,
  save: SavePath,
  keys: Passphrases,
  firstRound: number,
  errors: readonly string[],
  pick: (step: Step, index: number) => readonly string[] = () => errors,
): Promise<FaultSweep> {
  const { steps } = await logSteps(box, save, firstRound, keys);
  const phaseOf = phases(steps, path.basename(box.vault));
  const sweep: FaultSweep = { path: save.name, runs: 0, byPhase: { 'before-rename': 0, 'folder-fsync': 0, backup: 0, after: 0 }, bad: [] };
  let round = firstRound;
  for (const [index, step] of steps.entries()) {
    if (step.step === 'stdout') continue;
    const phase = phaseOf[index] ?? 'after';
    for (const code of pick(step, index)) {
      round += 1;
      const bytesBefore = fs.readFileSync(box.vault);
      const before = await box.state(box.vault, keys.current);
      if (typeof before === 'string') throw new Error(`the vault does not open before round ${round}: ${before}`);
      const next = save.next(round);
      clearLeftovers(box);
      const run = await box.run(next.args, { input: next.input, shim: true, env: { ...next.env, LIFEBOAT_TEST_FS_FAIL: `${step.step}:${step.nth}:${code}` } });
      sweep.runs += 1;
      sweep.byPhase[phase] += 1;
      const where = `${save.name}: ${code} at ${step.step}:${step.nth} (${step.file}, ${phase})`;
      const problems: string[] = [];
      if (/\n\s+at /.test(run.stderr)) problems.push('stack trace');
      if (/internal error/.test(run.stderr)) problems.push(`internal error: ${run.stderr.trim()}`);
      if (tempsIn(box.folder).length > 0) problems.push(`temp left: ${tempsIn(box.folder).join(', ')}`);
      const alternative = 'newPassphrase' in save ? (save as ReturnType<typeof passwdPath>).newPassphrase(round) : undefined;
      const after = await stateAfter(box, box.vault, keys, alternative);
      const verdict = typeof after.content === 'string' ? `does not open: ${after.content}` : save.judge(before, after.content, round, after.withNew);
      if (phase === 'before-rename') {
        if (run.status === 0) problems.push('exit 0');
        if (!fs.readFileSync(box.vault).equals(bytesBefore)) problems.push('vault changed');
        if (run.stdout !== '') problems.push(`stdout: ${run.stdout.trim()}`);
        if (locksIn(box.folder).length > 0) problems.push(`lock left: ${locksIn(box.folder).join(', ')}`);
      } else if (phase === 'folder-fsync') {
        if (run.status === 0) problems.push('exit 0');
        if (!run.stderr.includes('the change was saved, but the system could not confirm it reached the disk')) problems.push(`message: ${run.stderr.trim()}`);
        if (run.stdout !== '') problems.push(`stdout: ${run.stdout.trim()}`);
        if (verdict !== 'new') problems.push(`state ${verdict}`);
      } else {
        if (run.status !== 0) problems.push(`exit ${run.status}: ${run.stderr.trim()}`);
        if (phase === 'backup' && !run.stderr.includes('the backup copy could not be refreshed')) problems.push(`no backup warning: ${run.stderr.trim()}`);
        if (verdict !== 'new') problems.push(`state ${verdict}`);
        if (save.printsCode && printedCode(run) !== nextCode(before, 'main')) problems.push('the code was not printed');
      }
      if (after.withNew && alternative !== undefined) keys.set(alternative);
      if (problems.length > 0) sweep.bad.push(`${where}: ${problems.join('; ')}`);
    }
  }
  return sweep;
}

/** What the random-moment kills came to. */
export interface RandomKills {
  runs: number;
  old: number;
  new: number;
  completed: number;
  killed: number;
  handedOutUnspent: number;
  readonly bad: string[];
  /** Runs that ended neither killed nor with exit 0, with their first error line. */
  readonly otherEnds: string[];
  medianMs: number;
}

/**
 * Runs `use main` `runs` times, each SIGKILLed after a random delay between 0 and 1.2 times a normal
 * run's duration (measured first), and checks after each that the vault (and its backup) opens at the old
 * or the new state, and that any code printed is spent.
 */
export async function randomKills(box: ProofBox, runs: number): Promise<RandomKills> {
  const save = usePath();
  const durations: number[] = [];
  for (let i = 0; i < 3; i += 1) durations.push((await box.run(['use', 'main'])).ms);
  const medianMs = [...durations].sort((a, b) => a - b)[1] ?? 300;
  const result: RandomKills = { runs: 0, old: 0, new: 0, completed: 0, killed: 0, handedOutUnspent: 0, bad: [], otherEnds: [], medianMs };
  const seen = new Set<string>();
  for (let i = 0; i < runs; i += 1) {
    const before = await box.state();
    if (typeof before === 'string') throw new Error(`the vault does not open before run ${i}: ${before}`);
    seen.add(canonical(before));
    const delay = Math.random() * medianMs * 1.2;
    const run = await box.run(['use', 'main'], { killAfterMs: delay });
    result.runs += 1;
    if (run.signal === 'SIGKILL') result.killed += 1;
    else if (run.status === 0) result.completed += 1;
    else result.otherEnds.push(`run ${i}: exit ${run.status ?? run.signal}: ${run.stderr.split('\n').find((l) => l.includes('error')) ?? ''}`);
    const after = await box.state();
    if (typeof after === 'string') {
      result.bad.push(`run ${i} (killed after ${delay.toFixed(0)} ms): the vault does not open (${after})`);
      continue;
    }
    const verdict = save.judge(before, after, i, false);
    if (verdict === 'old') result.old += 1;
    else if (verdict === 'new') result.new += 1;
    else result.bad.push(`run ${i}: ${verdict}`);
    const code = printedCode(run);
    if (code !== undefined && (verdict !== 'new' || code !== nextCode(before, 'main'))) {
      result.handedOutUnspent += 1;
      result.bad.push(`run ${i}: printed ${code} without its spent mark`);
    }
    seen.add(canonical(after));
    const backup = await box.state(`${box.vault}.backup`);
    if (typeof backup === 'string' || !seen.has(canonical(backup))) result.bad.push(`run ${i}: the backup does not open at a state the vault had`);
  }
  return result;
}
