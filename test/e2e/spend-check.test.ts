// End-to-end: `lifeboat spend`, `unspend` and `check` (issue: Core, "Commands").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, instagramCodes, sandbox, talk, type Sandbox } from '../support/cli.js';

let box: Sandbox;
const old = instagramCodes(4, 1);
const codes = instagramCodes(4, 2);
beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'ig'], { input: old.join('\n') }).status).toBe(0);
  expect(box.run(['add', 'ig', '--yes'], { input: codes.join('\n') }).status).toBe(0);
});
afterEach(() => box.cleanup());

describe('lifeboat spend', () => {
  it('marks a code read from stdin, ignoring spaces, dashes and case', () => {
    const run = box.run(['spend', 'ig'], { input: `${codes[2]!.replace(' ', '-')}\n` });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(talk(run)).toContain('lifeboat: marked a code of ig as spent');
    const shown = JSON.parse(box.run(['show', 'ig', '--json']).stdout);
    expect(shown.codes[2].state).toBe('spent');
    expect(shown.codes.filter((c: { state: string }) => c.state === 'spent')).toHaveLength(1);
  });

  it('accepts the code as an argument too', () => {
    expect(box.run(['spend', 'ig', codes[0]!]).status).toBe(0);
  });

  it('already spent: exit 1 saying when, nothing changed', () => {
    expect(box.run(['spend', 'ig'], { input: codes[1] }).status).toBe(0);
    const before = bytesOf(box.vault);
    const again = box.run(['spend', 'ig'], { input: codes[1] });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already spent on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(again.stderr).not.toContain(codes[1]);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('unknown code: exit 4, nothing changed, the code not echoed', () => {
    const before = bytesOf(box.vault);
    const run = box.run(['spend', 'ig'], { input: '9999 0000' });
    expect(run.status).toBe(4);
    expect(run.stderr).toContain('ig has no such code');
    expect(run.stderr).not.toContain('9999');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('a code of a superseded batch is marked, with a warning that the service no longer accepts it', () => {
    const run = box.run(['spend', 'ig'], { input: old[0] });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('superseded batch: the service no longer accepts it');
  });

  it('no code on stdin and no terminal: bad usage', () => {
    const run = box.run(['spend', 'ig'], { input: '' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no code given');
  });
});

describe('lifeboat unspend', () => {
  it('undoes a spent mark; a code that is not spent is an error', () => {
    const handed = box.run(['use', 'ig']).stdout.trim();
    const run = box.run(['unspend', 'ig'], { input: handed });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('as unspent (4 left)');
    expect(box.run(['use', 'ig']).stdout.trim()).toBe(handed);
    const notSpent = box.run(['unspend', 'ig'], { input: codes[3] });
    expect(notSpent.status).toBe(1);
    expect(notSpent.stderr).toContain('is not spent');
  });
});

describe('lifeboat check', () => {
  it('unspent: the code still works', () => {
    const run = box.run(['check', '--json'], { input: codes[0] });
    expect(run.status).toBe(0);
    const verdict = JSON.parse(run.stdout);
    expect(verdict).toMatchObject({ state: 'unspent', account: 'ig' });
    expect(verdict.matches).toHaveLength(1);
    expect(verdict.matches[0]).toMatchObject({ account: 'ig', state: 'unspent', spentAt: null });
    expect(box.run(['check'], { input: codes[0] }).stdout).toContain('unspent: a code of ig that still works');
  });

  it('spent: says when', () => {
    box.run(['spend', 'ig'], { input: codes[0] });
    const verdict = JSON.parse(box.run(['check', '--json'], { input: codes[0] }).stdout);
    expect(verdict.state).toBe('spent');
    expect(verdict.matches[0].spentAt).toMatch(/^\d{4}-/);
  });

  it('superseded: the batch date and when it was replaced', () => {
    const run = box.run(['check'], { input: old[1] });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/superseded: a code of ig from the batch of \d{4}-\d\d-\d\d, replaced on \d{4}-\d\d-\d\d; the service no longer accepts it/);
    expect(JSON.parse(box.run(['check', '--json'], { input: old[1] }).stdout).state).toBe('superseded');
  });

  it('unknown: exit 4', () => {
    const run = box.run(['check', '--json'], { input: '0000 0000' });
    expect(run.status).toBe(4);
    expect(JSON.parse(run.stdout)).toEqual({ state: 'unknown', account: null, matches: [] });
  });

  it('the verdict prefers a match that still works, across accounts', () => {
    // --yes: a code another account holds is asked about first (issue 10, "Duplicates across accounts").
    expect(box.run(['add', 'other', '--yes'], { input: `${old[2]}\n${instagramCodes(1, 9)[0]}` }).status).toBe(0);
    const verdict = JSON.parse(box.run(['check', '--json'], { input: old[2] }).stdout);
    expect(verdict.state).toBe('unspent');
    expect(verdict.account).toBe('other');
    expect(verdict.matches.map((m: { state: string }) => m.state).sort()).toEqual(['superseded', 'unspent']);
  });
});
