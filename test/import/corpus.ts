import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { codeKey } from '../../src/domain/index.js';
import { recognize, type Recognition } from '../../src/import/index.js';

/**
 * The corpus that is not ours: what services really hand out and how people keep it
 * (test/fixtures/import/corpus, sources in each `.expect.json` and in docs/formats.md).
 * Every code in it is invented, with the service's real alphabet, length and grouping.
 */
export interface CorpusExpectation {
  readonly service: string | null;
  readonly source: string;
  /** `codes`: exactly these, in this order; `ambiguous`: the user must be asked; `none`: nothing. */
  readonly outcome: 'codes' | 'ambiguous' | 'none';
  /** Whether a person reads the sample without hesitation. */
  readonly readable: boolean;
  readonly fileName?: string;
  readonly codes?: readonly string[];
  readonly used?: readonly string[];
  /** For `ambiguous`: the readings the user must be offered (each a list of codes). */
  readonly readings?: readonly (readonly string[])[];
  readonly note?: string;
}

export interface CorpusSample {
  readonly name: string;
  readonly text: string;
  readonly expected: CorpusExpectation;
}

/**
 * How one recognition compares with what the sample holds:
 * - `exact`: stored without a question and exactly right (or `none` / `ambiguous` where that is right);
 * - `asked`: a question where a person would not hesitate, with pre-ticked defaults that are right;
 * - `bad-default`: a question whose pre-ticked defaults drop a code or keep a decoy;
 * - `wrong`: stored without a question but not exactly the codes (or a guess where it must ask);
 * - `dropped`: codes in the text that were not even offered.
 */
export type Verdict = 'exact' | 'asked' | 'bad-default' | 'wrong' | 'dropped';

const folder = fileURLToPath(new URL('../fixtures/import/corpus/', import.meta.url));

/** Every sample of the corpus, sorted by name. */
export function loadCorpus(): CorpusSample[] {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.txt'.length);
      return {
        name,
        text: readFileSync(`${folder}${file}`, 'utf8'),
        expected: JSON.parse(readFileSync(`${folder}${name}.expect.json`, 'utf8')) as CorpusExpectation,
      };
    });
}

/** The codes a terminal would store if the user pressed Enter. */
export function preTicked(result: Recognition): string[] {
  if (result.confidence === 'confident') return result.codes.map((code) => code.code);
  if (result.confidence === 'ambiguous') return result.candidates.filter((candidate) => candidate.doubt === null).map((candidate) => candidate.code);
  return [];
}

function sameCodes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((code, index) => codeKey(code) === codeKey(b[index] ?? ''));
}

/** Judges one sample. */
export function judge(sample: CorpusSample): { verdict: Verdict; result: Recognition } {
  const { expected } = sample;
  const result = recognize(sample.text, expected.fileName === undefined ? {} : { fileName: expected.fileName });
  if (expected.outcome === 'none') {
    return { result, verdict: result.confidence === 'confident' ? 'wrong' : 'exact' };
  }
  if (expected.outcome === 'ambiguous') {
    if (result.confidence === 'confident') return { result, verdict: 'wrong' };
    if (result.confidence === 'none') return { result, verdict: 'dropped' };
    // Every expected reading must be offered: as one of the result's readings, or as candidates.
    const offered = new Set(result.candidates.map((candidate) => codeKey(candidate.code)));
    const readings = (result.readings ?? []).map((reading) => reading.codes.map((code) => code.code));
    const every = (expected.readings ?? []).every(
      (reading) => readings.some((offeredReading) => sameCodes(offeredReading, reading)) || reading.every((code) => offered.has(codeKey(code))),
    );
    return { result, verdict: every ? 'exact' : 'dropped' };
  }
  const codes = expected.codes ?? [];
  const used = new Set((expected.used ?? []).map(codeKey));
  if (result.confidence === 'none') return { result, verdict: 'dropped' };
  if (result.confidence === 'confident') {
    const right =
      sameCodes(result.codes.map((code) => code.code), codes) &&
      result.codes.every((code) => code.used === used.has(codeKey(code.code)));
    return { result, verdict: right ? 'exact' : 'wrong' };
  }
  const offered = new Set(result.candidates.map((candidate) => codeKey(candidate.code)));
  if (!codes.every((code) => offered.has(codeKey(code)))) return { result, verdict: 'dropped' };
  const ticked = new Set(preTicked(result).map(codeKey));
  const rightDefaults = ticked.size === codes.length && codes.every((code) => ticked.has(codeKey(code)));
  return { result, verdict: rightDefaults ? 'asked' : 'bad-default' };
}

/** The figures over the whole corpus, as docs/formats.md reports them. */
export interface Figures {
  readonly samples: number;
  readonly exact: number;
  readonly asked: number;
  readonly badDefault: number;
  readonly wrong: number;
  readonly dropped: number;
  /** Of the samples a person reads without hesitation, the share stored without a question. */
  readonly readableWithoutQuestion: number;
  readonly readable: number;
  readonly verdicts: readonly { readonly name: string; readonly verdict: Verdict }[];
}

/** Judges every sample and counts the verdicts. */
export function figures(samples: readonly CorpusSample[]): Figures {
  const verdicts = samples.map((sample) => ({ name: sample.name, readable: sample.expected.readable, outcome: sample.expected.outcome, verdict: judge(sample).verdict }));
  const count = (verdict: Verdict): number => verdicts.filter((entry) => entry.verdict === verdict).length;
  const readable = verdicts.filter((entry) => entry.readable && entry.outcome === 'codes');
  return {
    samples: samples.length,
    exact: count('exact'),
    asked: count('asked'),
    badDefault: count('bad-default'),
    wrong: count('wrong'),
    dropped: count('dropped'),
    readable: readable.length,
    readableWithoutQuestion: readable.filter((entry) => entry.verdict === 'exact').length,
    verdicts: verdicts.map(({ name, verdict }) => ({ name, verdict })),
  };
}
