import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { ROOT } from '../support/cli.js';
import type { FuzzReport } from './engine.js';
import type { TARGETS } from './targets.js';

/**
 * Runs the fuzz targets in a process of their own (test/fuzz/child.ts), compiled once per test file with the project's
 * TypeScript into node_modules/.cache/lifeboat-fuzz-<pid>/, and asserts the oracle: no input threw anything but the
 * documented errors, broke a rule of the model, or ran slowly. The figures go to stdout for docs/reliability.md
 * ("Hostile input"). `LIFEBOAT_FUZZ_SEED` repeats a run's mutations; `LIFEBOAT_FUZZ_SAVE=1` keeps new inputs in
 * test/fuzz/corpus/.
 */

/** One folder per test process: two test files compiling at once must not share (or delete) one. */
const CACHE = path.join(ROOT, 'node_modules', '.cache', `lifeboat-fuzz-${process.pid}`);
let compiled: string | undefined;

/** Compiles the fuzzing process and what it imports; returns the path of child.js. */
export function compileFuzzer(): string {
  if (compiled) return compiled;
  fs.rmSync(CACHE, { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(
    process.execPath,
    [tsc, '--outDir', CACHE, '--rootDir', ROOT, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--types', 'node', '--skipLibCheck', '--strict', path.join(ROOT, 'test', 'fuzz', 'child.ts')],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) throw new Error(`compiling the fuzzer failed: ${result.stdout}${result.stderr}`);
  fs.writeFileSync(path.join(CACHE, 'package.json'), '{ "type": "module" }\n');
  // The targets read their seeds beside them: the vectors, the recognizer's fixtures, and the corpus.
  for (const folder of ['test/vectors', 'test/fixtures', 'test/fuzz/corpus']) {
    const real = path.join(ROOT, folder);
    fs.mkdirSync(real, { recursive: true });
    fs.symlinkSync(real, path.join(CACHE, folder));
  }
  compiled = path.join(CACHE, 'test', 'fuzz', 'child.js');
  return compiled;
}

/** Removes the compiled fuzzer (call in afterAll). */
export function removeFuzzer(): void {
  fs.rmSync(CACHE, { recursive: true, force: true });
  compiled = undefined;
}

/** Runs one target for `milliseconds` in the fuzzing process and returns its report. */
export function runFuzzer(
  name: keyof typeof TARGETS,
  milliseconds: number,
  seed = process.env['LIFEBOAT_FUZZ_SEED'],
  stopOnFinding = false,
): FuzzReport {
  const child = compileFuzzer();
  const run = spawnSync(process.execPath, [child, name, String(milliseconds), seed ?? '', ...(stopOnFinding ? ['stop'] : [])], {
    encoding: 'utf8',
    // A hang inside one input is caught here: the run may overrun its budget by the slow limit, not by minutes.
    timeout: milliseconds + 60_000,
    env: { PATH: process.env['PATH'] ?? '', LIFEBOAT_FUZZ_SAVE: process.env['LIFEBOAT_FUZZ_SAVE'] ?? '' },
  });
  expect(run.error, 'the fuzzing process hung or could not start').toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as FuzzReport;
}

/** Runs one target for `milliseconds` and asserts that it found nothing. */
export function fuzzFor(name: keyof typeof TARGETS, milliseconds: number): FuzzReport {
  const report = runFuzzer(name, milliseconds);
  console.log(
    `fuzz ${report.target}: ${report.executions} executions in ${(report.milliseconds / 1000).toFixed(1)} s ` +
      `(${Math.round((report.executions * 1000) / Math.max(1, report.milliseconds))}/s), corpus ${report.corpusAtStart} -> ${report.corpusAtEnd}, ` +
      `blocks reached ${report.blocksReached} of ${report.blocksKnown} known, functions reached ${report.functionsReached} of ${report.functionsKnown}, ` +
      `seed ${report.seed}, findings ${report.findings.length}, ms in target ${report.targetMs}, in coverage ${report.coverageMs}`,
  );
  expect(report.findings).toEqual([]);
  expect(report.executions).toBeGreaterThan(0);
  return report;
}
