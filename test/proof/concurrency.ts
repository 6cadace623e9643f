import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setUpVault } from './crash.js';
import { codesOf, proofBox, type ProofBox } from './support.js';

/**
 * Shared by concurrency.test.ts and concurrency.slow.test.ts: many `use` processes on one account, two
 * processes spending one code, and many contenders on one stale lock.
 */

const CONTENDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lock-contender.mjs');

/** What P processes × K sequential `use` each came to. */
export interface ManyUsers {
  readonly handedOut: number;
  readonly distinct: number;
  readonly spent: number;
  readonly total: number;
  readonly failures: string[];
  readonly lockTimeouts: number;
  readonly lostUpdates: number;
  readonly seconds: number;
}

/** P processes each run `use main` K times in a row, all at once, on an account of P×K codes. */
export async function manyUsers(processes: number, each: number): Promise<ManyUsers> {
  const box = proofBox();
  try {
    const total = processes * each;
    await setUpVault(box, total, 0);
    const started = Date.now();
    const handed: string[] = [];
    const failures: string[] = [];
    let lockTimeouts = 0;
    await Promise.all(
      Array.from({ length: processes }, async (_, p) => {
        for (let i = 0; i < each; i += 1) {
          const run = await box.run(['use', 'main']);
          if (/in use by another lifeboat process/.test(run.stderr)) lockTimeouts += 1;
          if (run.status !== 0) failures.push(`process ${p} run ${i}: exit ${run.status} ${run.stderr.trim()}`);
          else handed.push(run.stdout.trim());
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const after = await box.state();
    if (typeof after === 'string') throw new Error(`the vault does not open: ${after}`);
    const codes = codesOf(after, 'main');
    const spent = codes.filter((c) => c.spent).length;
    const spentSet = new Set(codes.filter((c) => c.spent).map((c) => c.code));
    // A lost update is a code handed out whose spent mark is not in the final vault.
    const lostUpdates = handed.filter((code) => !spentSet.has(code)).length;
    return { handedOut: handed.length, distinct: new Set(handed).size, spent, total, failures, lockTimeouts, lostUpdates, seconds };
  } finally {
    box.cleanup();
  }
}

/** What the double-spend trials came to. */
export interface DoubleSpends {
  readonly trials: number;
  readonly exactlyOne: number;
  readonly bad: string[];
}

/** For each trial, two `spend main` of the same code started together: exactly one exits 0, the other 1 "already spent". */
export async function doubleSpends(trials: number): Promise<DoubleSpends> {
  const box = proofBox();
  try {
    await setUpVault(box, trials, 0);
    const content = await box.state();
    if (typeof content === 'string') throw new Error(content);
    const codes = codesOf(content, 'main').map((c) => c.code);
    const bad: string[] = [];
    let exactlyOne = 0;
    for (const [i, code] of codes.entries()) {
      const runs = await Promise.all([0, 1].map(() => box.run(['spend', 'main'], { input: `${code}\n` })));
      const statuses = runs.map((r) => r.status).sort();
      const loser = runs.find((r) => r.status !== 0);
      if (statuses[0] === 0 && statuses[1] === 1 && loser && /already spent/.test(loser.stderr)) exactlyOne += 1;
      else bad.push(`trial ${i}: exits ${runs.map((r) => r.status).join(', ')}: ${runs.map((r) => r.stderr.trim()).join(' | ')}`);
    }
    const after = await box.state();
    if (typeof after === 'string' || codesOf(after, 'main').some((c) => !c.spent)) bad.push('not every code ended spent');
    return { trials: codes.length, exactlyOne, bad };
  } finally {
    box.cleanup();
  }
}

/** What the stale-lock rounds came to. */
export interface StaleRounds {
  readonly rounds: number;
  readonly contenders: number;
  readonly acquired: number;
  readonly overlaps: number;
  readonly errors: string[];
}

/** A pid that is certainly dead: a child that has exited. */
async function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid ?? 0));
  });
}

/**
 * Each round plants a lock of a dead process, then starts `contenders` processes that all call the real
 * acquireLock at the same moment, hold it 3 ms and release it. Checks that all get it in turn and that no
 * two hold intervals (CLOCK_MONOTONIC, shared by all processes) overlap.
 */
export async function staleLockRounds(rounds: number, contenders: number): Promise<StaleRounds> {
  const box: ProofBox = proofBox();
  try {
    fs.mkdirSync(box.folder, { mode: 0o700 });
    let acquired = 0;
    let overlaps = 0;
    const errors: string[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const pid = await deadPid();
      fs.writeFileSync(`${box.vault}.lock`, `${pid} ${os.hostname()} 00000000deadbeef\n`, { mode: 0o600 });
      const log = path.join(box.dir, `round-${round}.log`);
      const startAt = Date.now() + 400;
      await Promise.all(
        Array.from(
          { length: contenders },
          () =>
            new Promise<void>((resolve, reject) => {
              const child = spawn(process.execPath, [CONTENDER, box.vault, String(startAt), '3', log], { stdio: 'ignore' });
              child.on('error', reject);
              child.on('exit', () => resolve());
            }),
        ),
      );
      const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
      const held = lines
        .map((line) => line.split(' '))
        .filter((fields) => {
          if (fields[4] !== '-') errors.push(`round ${round}: ${fields.join(' ')}`);
          return fields[4] === '-';
        })
        .map((fields) => ({ start: BigInt(fields[1] ?? '0'), end: BigInt(fields[2] ?? '0'), overlap: fields[3] === '1' }))
        .sort((a, b) => (a.start < b.start ? -1 : 1));
      acquired += held.length;
      if (held.length !== contenders) errors.push(`round ${round}: ${held.length}/${contenders} acquired`);
      for (const [i, interval] of held.entries()) {
        const previous = held[i - 1];
        if (interval.overlap || (previous && interval.start <= previous.end)) overlaps += 1;
      }
      if (fs.existsSync(`${box.vault}.lock`)) errors.push(`round ${round}: the lock was left behind`);
    }
    return { rounds, contenders, acquired, overlaps, errors };
  } finally {
    box.cleanup();
  }
}
