import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeKey } from '../../src/domain/index.js';
import { recognize } from '../../src/import/index.js';

/**
 * For random batches in every shape the corpus holds (test/fixtures/import/corpus, docs/formats.md),
 * rendered in every layout people keep them in, recognition returns exactly the codes or asks:
 * never other codes, never a code missing, never nothing.
 */

const DIGITS = '0123456789';
const HEX = '0123456789abcdef';
const B32_LOWER = 'abcdefghijklmnopqrstuvwxyz234567';
const B32_UPPER = B32_LOWER.toUpperCase();
const HUMAN = 'abcdefgijkmnopqrstwxyzABCDEFGHJKLMNPQRSTWXYZ23456789';
const KEYCLOAK = 'ABCDEFGHIJKLMNPQRSTUVWXYZ123456789';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ASPNET = '23456789BCDFGHJKMNPQRTVWXY';
const DISTINCT = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** One code of a shape: groups of characters from an alphabet, joined by a separator. */
interface Shape {
  readonly name: string;
  readonly alphabet: string;
  readonly groups: readonly number[];
  readonly separator: '' | ' ' | '-';
}

const SHAPES: readonly Shape[] = [
  { name: 'Google, Instagram, Facebook, Dropbox', alphabet: DIGITS, groups: [4, 4], separator: ' ' },
  { name: 'WordPress, django-allauth', alphabet: DIGITS, groups: [8], separator: '' },
  { name: 'GitHub', alphabet: HEX, groups: [5, 5], separator: '-' },
  { name: 'GitLab, PyPI, Mastodon, Zammad', alphabet: HEX, groups: [16], separator: '' },
  { name: 'Discourse', alphabet: HEX, groups: [32], separator: '' },
  { name: 'RubyGems, Redmine', alphabet: HEX, groups: [12], separator: '' },
  { name: 'Keycloak', alphabet: KEYCLOAK, groups: [4, 4, 4], separator: '-' },
  { name: 'Sentry', alphabet: B32_UPPER, groups: [4, 4], separator: '-' },
  { name: 'django-otp', alphabet: B32_LOWER, groups: [8], separator: '' },
  { name: 'MediaWiki', alphabet: B32_UPPER, groups: [16], separator: '' },
  { name: 'Nextcloud', alphabet: HUMAN, groups: [16], separator: '' },
  { name: 'Laravel Fortify', alphabet: ALNUM, groups: [10, 10], separator: '-' },
  { name: 'ASP.NET Core Identity', alphabet: ASPNET, groups: [5, 5], separator: '-' },
  { name: 'Gogs', alphabet: LOWER_ALNUM, groups: [5, 5], separator: '-' },
  { name: 'Kanidm', alphabet: DISTINCT, groups: [5, 5, 5, 5], separator: '-' },
  { name: 'Discord', alphabet: LOWER_ALNUM, groups: [4, 4], separator: '-' },
];

/**
 * One code of a shape, drawn from a seed: cheaper than one arbitrary per character, which keeps ten
 * thousand cases within a few seconds. Small seeds give codes of few distinct characters, so shrinking
 * still ends on short, readable counterexamples.
 */
function codeOf(shape: Shape): fc.Arbitrary<string> {
  return fc.integer({ min: 0, max: 0x7fffffff }).map((seed) => {
    let state = seed;
    const next = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
      return state;
    };
    return shape.groups
      .map((length) => Array.from({ length }, () => shape.alphabet[(seed === 0 ? 0 : next() >>> 8) % shape.alphabet.length]).join(''))
      .join(shape.separator);
  });
}

const LAYOUTS = ['lines', 'numbered', 'numbered-paren', 'colon', 'bullets', 'task-list', 'two-columns', 'two-columns-numbered', 'one-line', 'csv'] as const;
type Layout = (typeof LAYOUTS)[number];
const MARKS = ['(used)', 'USED 2024-11-02', '✓', 'strike'] as const;

interface Sample {
  readonly text: string;
  /** The codes in the order the text gives them, each with its used mark. */
  readonly expected: readonly { readonly code: string; readonly used: boolean }[];
}

function mark(code: string, used: boolean, how: (typeof MARKS)[number], layout: Layout): string {
  if (!used || layout === 'task-list') return code;
  return how === 'strike' ? `~~${code}~~` : `${code} ${how}`;
}

function render(shape: Shape, codes: readonly string[], used: readonly boolean[], how: (typeof MARKS)[number], layout: Layout, header: boolean, crlf: boolean): Sample {
  const canMark = layout !== 'one-line' && layout !== 'csv';
  const usedOf = (index: number): boolean => canMark && (used[index] ?? false);
  const item = (index: number): string => mark(codes[index] ?? '', usedOf(index), how, layout);
  const inOrder = (order: readonly number[]): Sample['expected'] => order.map((index) => ({ code: codes[index] ?? '', used: usedOf(index) }));
  const all = codes.map((_, index) => index);
  let body: string[];
  let order: number[] = all;
  switch (layout) {
    case 'lines': body = all.map(item); break;
    case 'numbered': body = all.map((index) => `${index + 1}. ${item(index)}`); break;
    case 'numbered-paren': body = all.map((index) => `${String(index + 1).padStart(2, '0')}) ${item(index)}`); break;
    case 'colon': body = all.map((index) => `${index + 1}: ${item(index)}`); break;
    case 'bullets': body = all.map((index) => `• ${item(index)}`); break;
    case 'task-list': body = all.map((index) => `- [${usedOf(index) ? 'x' : ' '}] ${item(index)}`); break;
    case 'two-columns':
    case 'two-columns-numbered': {
      const half = Math.ceil(codes.length / 2);
      const numbered = layout === 'two-columns-numbered';
      const cell = (index: number): string => (numbered ? `${index + 1}. ${item(index)}` : item(index));
      body = [];
      order = [];
      for (let row = 0; row < half; row += 1) {
        const right = row + half < codes.length ? row + half : null;
        body.push(right === null ? cell(row) : `${cell(row)}\t\t${cell(right)}`);
        order.push(row, ...(right === null ? [] : [right]));
      }
      if (numbered) order = all;
      break;
    }
    case 'one-line': body = [codes.join(shape.separator === ' ' ? '   ' : ' ')]; break;
    case 'csv': body = [`account,${codes.map((_, index) => `code${index + 1}`).join(',')}`, `jo@example.com,${codes.join(',')}`]; break;
  }
  const lines = [...(header ? ['My backup codes'] : []), ...body, ''];
  return { text: lines.join(crlf ? '\r\n' : '\n'), expected: inOrder(order) };
}

const samples = fc
  .constantFrom(...SHAPES)
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      // A text in which nothing has a digit is `none` by design (docs/formats.md, "Reading a line"),
      // so each batch has at least one code with a digit; the others may have none.
      codes: fc.uniqueArray(codeOf(shape), { minLength: 3, maxLength: 10, selector: codeKey }).filter((codes) => codes.some((code) => /[0-9]/.test(code))),
      used: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
      how: fc.constantFrom(...MARKS),
      layout: fc.constantFrom(...LAYOUTS),
      header: fc.boolean(),
      crlf: fc.boolean(),
    }),
  )
  .map(({ shape, codes, used, how, layout, header, crlf }) => render(shape, codes, used, how, layout, header, crlf));

describe('recognize: every shape in every layout', () => {
  it('returns exactly the codes, or asks and offers every one of them', () => {
    fc.assert(
      fc.property(samples, ({ text, expected }) => {
        const result = recognize(text, {});
        expect(result.confidence).not.toBe('none');
        if (result.confidence === 'confident') {
          expect(result.codes.map((code) => ({ code: codeKey(code.code), used: code.used }))).toEqual(
            expected.map((code) => ({ code: codeKey(code.code), used: code.used })),
          );
        }
        if (result.confidence === 'ambiguous') {
          const offered = new Set([
            ...result.candidates.map((candidate) => codeKey(candidate.code)),
            ...(result.readings ?? []).flatMap((reading) => reading.codes.map((code) => codeKey(code.code))),
          ]);
          for (const code of expected) expect(offered).toContain(codeKey(code.code));
        }
      }),
      { numRuns: 10_000, seed: Number(process.env['LIFEBOAT_PROPERTY_SEED'] ?? 20261202) },
    );
    // Ten thousand recognitions take about ten seconds on one core of the project's machine; the
    // margin is for a machine busy with other test files.
  }, 90_000);
});
