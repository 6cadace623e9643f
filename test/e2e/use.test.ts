// End-to-end: `lifeboat use` (issue: Core, "Commands").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, instagramCodes, sandbox, talk, type Sandbox } from '../support/cli.js';

let box: Sandbox;
const codes = instagramCodes(5);
beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'instagram'], { input: codes.join('\n') }).status).toBe(0);
});
afterEach(() => box.cleanup());

describe('lifeboat use', () => {
  it('prints the next unspent code alone on stdout and marks it spent', () => {
    const first = box.run(['use', 'instagram']);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(`${codes[0]}\n`);
    const second = box.run(['use', 'insta']);
    expect(second.stdout).toBe(`${codes[1]}\n`);
    const shown = JSON.parse(box.run(['show', 'instagram', '--json']).stdout);
    expect(shown.codes.map((c: { state: string }) => c.state)).toEqual(['spent', 'spent', 'unspent', 'unspent', 'unspent']);
    expect(shown.codes[0].spentAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  // Issue 9: low fits the batch: for 5 codes, at the last one (a quarter of 5 is 1.25).
  it('warns on stderr when the batch is low (one of five left), and when the last one is handed out', () => {
    expect(talk(box.run(['use', 'instagram']))).toEqual([]);
    expect(talk(box.run(['use', 'instagram']))).toEqual([]);
    expect(talk(box.run(['use', 'instagram']))).toEqual([]);
    expect(talk(box.run(['use', 'instagram']))).toEqual(['lifeboat: warning: only 1 code left for instagram: generate new codes soon']);
    const last = box.run(['use', 'instagram']);
    expect(last.stdout).toBe(`${codes[4]}\n`);
    expect(talk(last)[0]).toContain('that was the last code of instagram');
  });

  it('with no code left: exit 4, nothing printed, nothing changed', () => {
    for (let i = 0; i < 5; i += 1) box.run(['use', 'instagram']);
    const before = bytesOf(box.vault);
    const run = box.run(['use', 'instagram']);
    expect(run.status).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no unspent code left for instagram');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('refreshes the backup to mirror the new generation', () => {
    box.run(['use', 'instagram']);
    expect(bytesOf(`${box.vault}.backup`)).toEqual(bytesOf(box.vault));
  });

  it('exit 4 for an unknown account, exit 2 for an ambiguous prefix listing the candidates', () => {
    expect(box.run(['add', 'instance'], { input: instagramCodes(3, 5).join('\n') }).status).toBe(0);
    const unknown = box.run(['use', 'github']);
    expect(unknown.status).toBe(4);
    expect(unknown.stderr).toContain('no account named "github"');
    const ambiguous = box.run(['use', 'inst']);
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toContain('"inst" matches 2 accounts: instagram, instance');
  });

  it('matches names case-insensitively, and an exact name beats a longer prefix match', () => {
    expect(box.run(['add', 'instagram:work'], { input: instagramCodes(3, 5).join('\n') }).status).toBe(0);
    expect(box.run(['use', 'INSTAGRAM']).stdout).toBe(`${codes[0]}\n`);
  });
});
