import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A small coverage-guided mutation fuzzer (issue 11, "Proof": the parsers that read untrusted bytes).
 *
 * Why our own: `@jazzer.js/core` 4.0.0 installs from npm but its native fuzzer (`fuzzer-linux-x64.node`) needs
 * GLIBC_2.38, and Debian 12 has 2.36; 2.1.0 builds its addon in an install script that npm 11 does not run.
 *
 * How it is guided: V8's precise block coverage through `node:inspector` (`Profiler.startPreciseCoverage` with
 * `callCount` and `detailed`), taken after every execution (which also resets the counters). V8 leaves out a block
 * whose count equals its parent's, so the engine learns each function's blocks as they show up and gives each known
 * block the count of the innermost reported range around it. A feature is a block of the target's own modules with a
 * hit-count bucket (1, 2, 3, 4–7, 8–15, 16–31, 32–127, 128+, as AFL does); an input that yields a feature never seen
 * before joins the corpus. Mutations are byte-level (bit flips, interesting bytes, inserts, deletes, copies, splices
 * with other corpus entries, and tokens of the target's dictionary), stacked one to four deep.
 */

/** What the target may throw: anything else, or a thrown {@link OracleViolation}, is a finding. */
export type Allowed = (error: unknown) => boolean;

/** A check of the fuzzed code's answer failed: the input broke a rule of the model. */
export class OracleViolation extends Error {
  override readonly name = 'OracleViolation';
}

/** One thing to fuzz. */
export interface FuzzTarget {
  /** The corpus folder's name under test/fuzz/corpus/. */
  readonly name: string;
  /** Runs the code under test on one input; throws an allowed error, or an OracleViolation for a broken rule. */
  run(data: Uint8Array): void;
  readonly allowed: Allowed;
  /** Which scripts count for coverage (their URL or path). */
  readonly covers: RegExp;
  /** Tokens worth inserting (JSON keys, service words, header fields). */
  readonly dictionary: readonly string[];
  /** The longest input to try. */
  readonly maxLength: number;
  /** Inputs to start from when the corpus folder is empty. */
  seeds(): Uint8Array[];
}

/** What one run came to. */
export interface FuzzReport {
  readonly target: string;
  readonly executions: number;
  readonly milliseconds: number;
  readonly corpusAtStart: number;
  readonly corpusAtEnd: number;
  /** Blocks (V8 block ranges) of the target's modules run at least once, and all blocks learned of. */
  readonly blocksReached: number;
  readonly blocksKnown: number;
  /** Functions of the target's modules run at least once, and all functions V8 reported there. */
  readonly functionsReached: number;
  readonly functionsKnown: number;
  /** Inputs that threw something not allowed, broke an oracle, or took longer than the slow limit. */
  readonly findings: readonly string[];
  readonly seed: number;
  /** Time spent in the code under test, and in taking and reading coverage. */
  readonly targetMs: number;
  readonly coverageMs: number;
}

/** Options of one run. */
export interface FuzzOptions {
  readonly milliseconds: number;
  /** Random seed; a run is repeatable only as far as timing allows. */
  readonly seed?: number;
  /** Write each input that added coverage to the corpus folder (off in tests, so a test run leaves no files). */
  readonly saveCorpus?: boolean;
  /** An execution slower than this is a finding (a hang in the making). */
  readonly slowMs?: number;
  /** End the run at the first finding (the fuzzer's own test). */
  readonly stopOnFinding?: boolean;
}

/**
 * The in-process profiler session, started when this module is first evaluated: V8 gives block counters only to
 * functions compiled after precise block coverage was switched on, so this module must be imported before the code
 * under test (test/fuzz/run.ts imports it first). An in-thread session answers synchronously.
 */
const session = new Session();
session.connect();
function post<T>(method: string, params?: object): T {
  let answer: { error: Error | null; result: T } | undefined;
  session.post(method, params ?? {}, (error, result) => {
    answer = { error, result: result as T };
  });
  if (answer === undefined) throw new Error(`the inspector did not answer ${method} synchronously`);
  if (answer.error) throw answer.error;
  return answer.result;
}
post('Profiler.enable');
post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });

/** test/fuzz/corpus/<name>/ */
export function corpusFolder(name: string): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus', name);
}

const INTERESTING = [0x00, 0x01, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x2c, 0x2d, 0x30, 0x39, 0x3a, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f, 0x80, 0xc3, 0xe2, 0xef, 0xff];

/** xorshift32: a tiny seeded generator, so a run can be repeated with its seed. */
function generator(seed: number): (n: number) => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return (n: number): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return n <= 0 ? 0 : state % n;
  };
}

function bucket(count: number): number {
  if (count <= 3) return count;
  if (count < 8) return 4;
  if (count < 16) return 8;
  if (count < 32) return 16;
  if (count < 128) return 32;
  return 128;
}

interface Range {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly count: number;
}
interface FunctionCoverage {
  readonly functionName: string;
  readonly ranges: readonly Range[];
}
interface ScriptCoverage {
  readonly url: string;
  readonly functions: readonly FunctionCoverage[];
}

/** Turns V8's reports into features, learning each function's blocks as they appear. */
class CoverageMap {
  /** Per function (url + its range), the block ranges ever reported inside it. */
  private readonly blocks = new Map<string, Map<string, [number, number]>>();
  readonly reachedBlocks = new Set<string>();
  readonly reachedFunctions = new Set<string>();
  readonly knownFunctions = new Set<string>();

  private readonly covers: RegExp;

  constructor(covers: RegExp) {
    this.covers = covers;
  }

  get knownBlocks(): number {
    let total = 0;
    for (const inner of this.blocks.values()) total += inner.size;
    return total;
  }

  /** The features of one execution. */
  features(scripts: readonly ScriptCoverage[]): string[] {
    const features: string[] = [];
    for (const script of scripts) {
      if (!this.covers.test(script.url)) continue;
      for (const fn of script.functions) {
        const [whole, ...nested] = fn.ranges;
        if (!whole) continue;
        const fnKey = `${script.url}@${whole.startOffset}-${whole.endOffset}`;
        this.knownFunctions.add(fnKey);
        let known = this.blocks.get(fnKey);
        if (!known) this.blocks.set(fnKey, (known = new Map()));
        for (const range of nested) known.set(`${range.startOffset}-${range.endOffset}`, [range.startOffset, range.endOffset]);
        if (whole.count === 0) continue;
        this.reachedFunctions.add(fnKey);
        features.push(`${fnKey}#${bucket(whole.count)}`);
        for (const [key, [start, end]] of known) {
          // The innermost reported range around this block gives its count (V8 drops ranges equal to their parent's).
          let count = whole.count;
          let width = Infinity;
          for (const range of nested) {
            if (range.startOffset <= start && range.endOffset >= end && range.endOffset - range.startOffset < width) {
              width = range.endOffset - range.startOffset;
              count = range.count;
            }
          }
          if (count === 0) continue;
          this.reachedBlocks.add(`${fnKey}:${key}`);
          features.push(`${fnKey}:${key}#${bucket(count)}`);
        }
      }
    }
    return features;
  }
}

function mutate(input: Uint8Array, corpus: readonly Uint8Array[], dictionary: readonly Uint8Array[], maxLength: number, random: (n: number) => number): Uint8Array {
  let data = Array.from(input);
  const rounds = 1 + random(4);
  for (let round = 0; round < rounds; round += 1) {
    const at = random(data.length + 1);
    switch (random(10)) {
      case 0:
        if (data.length > 0) data[at % data.length] = (data[at % data.length] ?? 0) ^ (1 << random(8));
        break;
      case 1:
        if (data.length > 0) data[at % data.length] = INTERESTING[random(INTERESTING.length)] ?? 0;
        break;
      case 2:
        data.splice(at, 0, ...Array.from({ length: 1 + random(8) }, () => random(256)));
        break;
      case 3:
        data.splice(at, 1 + random(Math.max(1, Math.min(32, data.length - at))));
        break;
      case 4: {
        const from = random(data.length + 1);
        data.splice(at, 0, ...data.slice(from, from + 1 + random(32)));
        break;
      }
      case 5: {
        const other = corpus[random(corpus.length)];
        if (other && other.length > 0) {
          const from = random(other.length);
          data.splice(at, random(4), ...Array.from(other.subarray(from, from + 1 + random(64))));
        }
        break;
      }
      case 6:
      case 7: {
        const token = dictionary[random(dictionary.length)];
        if (token) data.splice(at, 0, ...token);
        break;
      }
      case 8: {
        const token = dictionary[random(dictionary.length)];
        if (token) data.splice(at, token.length, ...token);
        break;
      }
      default:
        if (data.length > 0 && data[at % data.length] !== undefined) {
          const byte = data[at % data.length] ?? 0;
          // Nudge digits and letters by one, the way counts, dates and versions change.
          data[at % data.length] = (byte + (random(2) === 0 ? 1 : 255)) & 0xff;
        }
    }
  }
  if (data.length > maxLength) data = data.slice(0, maxLength);
  return Uint8Array.from(data);
}

function describeInput(data: Uint8Array): string {
  const shown = Buffer.from(data.subarray(0, 120)).toString('base64');
  return `${data.length} bytes, base64 ${shown}${data.length > 120 ? '…' : ''}`;
}

function loadCorpus(folder: string): Uint8Array[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .sort()
    .map((name) => new Uint8Array(fs.readFileSync(path.join(folder, name))));
}

/** Runs one target for `options.milliseconds`, starting from its corpus folder (or its seeds). */
export function fuzz(target: FuzzTarget, options: FuzzOptions): FuzzReport {
  const seed = options.seed ?? (Date.now() & 0x7fffffff);
  const random = generator(seed);
  const slowMs = options.slowMs ?? 2000;
  const folder = corpusFolder(target.name);
  const stored = loadCorpus(folder);
  const corpus: Uint8Array[] = stored.length > 0 ? stored : target.seeds();
  const corpusAtStart = corpus.length;
  const dictionary = target.dictionary.map((token) => new TextEncoder().encode(token));
  const map = new CoverageMap(target.covers);
  const seen = new Set<string>();
  const findings: string[] = [];

  const take = (): ScriptCoverage[] => post<{ result: ScriptCoverage[] }>('Profiler.takePreciseCoverage').result;

  let executions = 0;
  let targetMs = 0;
  let coverageMs = 0;
  const execute = (data: Uint8Array): boolean => {
    // The take after the previous input reset the counters; only the engine (not covered) ran since.
    const started = performance.now();
    try {
      target.run(data);
    } catch (error) {
      if (error instanceof OracleViolation || !target.allowed(error)) {
        const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (findings.length < 20) findings.push(`${what} (input ${describeInput(data)})`);
      }
    }
    const elapsed = performance.now() - started;
    targetMs += elapsed;
    executions += 1;
    if (elapsed > slowMs && findings.length < 20) findings.push(`slow: ${Math.round(elapsed)} ms (input ${describeInput(data)})`);
    let fresh = false;
    const measured = performance.now();
    for (const feature of map.features(take())) {
      if (!seen.has(feature)) {
        seen.add(feature);
        fresh = true;
      }
    }
    coverageMs += performance.now() - measured;
    return fresh;
  };

  const started = Date.now();
  try {
    for (const input of corpus) execute(input);
    while (Date.now() - started < options.milliseconds && !(options.stopOnFinding && findings.length > 0)) {
      const parent = corpus[random(corpus.length)] ?? new Uint8Array();
      const child = mutate(parent, corpus, dictionary, target.maxLength, random);
      if (execute(child)) {
        corpus.push(child);
        if (options.saveCorpus) {
          fs.mkdirSync(folder, { recursive: true });
          fs.writeFileSync(path.join(folder, createHash('sha1').update(child).digest('hex').slice(0, 16)), child);
        }
      }
    }
  } finally {
    take();
  }
  if (options.saveCorpus && stored.length === 0) {
    fs.mkdirSync(folder, { recursive: true });
    for (const input of corpus.slice(0, corpusAtStart)) {
      fs.writeFileSync(path.join(folder, createHash('sha1').update(input).digest('hex').slice(0, 16)), input);
    }
  }
  return {
    target: target.name,
    executions,
    milliseconds: Date.now() - started,
    corpusAtStart,
    corpusAtEnd: corpus.length,
    blocksReached: map.reachedBlocks.size,
    blocksKnown: map.knownBlocks,
    functionsReached: map.reachedFunctions.size,
    functionsKnown: map.knownFunctions.size,
    findings,
    seed,
    targetMs: Math.round(targetMs),
    coverageMs: Math.round(coverageMs),
  };
}
