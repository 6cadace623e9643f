/**
 * Account names a user probably meant (issue 10, "Prefixes and typos"): `add insta` beside an account
 * `instagram`, `use instgram` for `instagram`. Pure: names in, names out.
 */

/**
 * The optimal-string-alignment distance between two strings: insertions, deletions, substitutions and
 * swaps of two neighbouring characters each cost one (the typos people make on a keyboard).
 */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const rows: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= x.length; i += 1) {
    const row = rows[i];
    if (!row) continue;
    for (let j = 1; j <= y.length; j += 1) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(x.length, y.length);
}

/** How many typos a name of this length may hold and still be taken for another: none in very short names. */
function allowedTypos(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/**
 * The existing names a query probably meant, nearest first: names it is a prefix of (`insta` for
 * `instagram`) and names within a small edit distance (`instgram`). Case-insensitive; a name equal to
 * the query is not a suggestion. Ties are broken by name.
 */
export function nearestNames(names: readonly string[], query: string): string[] {
  const wanted = query.normalize('NFC').toLowerCase();
  if (wanted === '') return [];
  const scored: { name: string; score: number }[] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    if (lower === wanted) continue;
    if (lower.startsWith(wanted)) {
      scored.push({ name, score: lower.length - wanted.length === 0 ? 0 : 0.5 });
      continue;
    }
    const distance = editDistance(wanted, lower);
    if (distance <= allowedTypos(Math.min(wanted.length, lower.length))) scored.push({ name, score: distance });
  }
  return scored.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((entry) => entry.name);
}
