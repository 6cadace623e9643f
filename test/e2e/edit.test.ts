// End-to-end: `lifeboat edit` and `add --username` on a stored batch (issue 9, "New commands").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesOf, sandbox, talk, type Sandbox } from '../support/cli.js';

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  expect(box.run(['init']).status).toBe(0);
  expect(box.run(['add', 'github'], { input: 'a1b2c-3d4e5\nf6a7b-8c9d0\n' }).status).toBe(0);
});
afterEach(() => box.cleanup());

const details = () => {
  const shown = JSON.parse(box.run(['show', 'github', '--json']).stdout) as { service: string | null; username: string | null; note: string | null };
  return { service: shown.service, username: shown.username, note: shown.note };
};

describe('lifeboat edit', () => {
  it('sets the service, username and note given, and says what changed', () => {
    const run = box.run(['edit', 'git', '--service', 'GitHub', '--username', 'ada@example.org', '--note', 'work laptop']);
    expect(run.status).toBe(0);
    expect(talk(run)).toEqual(['lifeboat: github: set the service to "GitHub", set the username to "ada@example.org", set the note to "work laptop"']);
    expect(details()).toEqual({ service: 'GitHub', username: 'ada@example.org', note: 'work laptop' });
    expect(box.run(['show', 'github']).stdout).toContain('github user ada@example.org\n  note: work laptop\n');
  });

  it('an empty value clears a detail and leaves the others', () => {
    box.run(['edit', 'github', '--username', 'ada', '--note', 'x']);
    const run = box.run(['edit', 'github', '--note', '']);
    expect(talk(run)).toEqual(['lifeboat: github: cleared the note']);
    expect(details()).toEqual({ service: null, username: 'ada', note: null });
  });

  it('the values already stored change nothing, and the file stays byte for byte', () => {
    box.run(['edit', 'github', '--username', 'ada']);
    const before = bytesOf(box.vault);
    const run = box.run(['edit', 'github', '--username', 'ada']);
    expect(run.status).toBe(0);
    expect(talk(run)).toEqual(['lifeboat: github: nothing changed']);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('without a flag and without a terminal, says what to pass (exit 2) and asks for no passphrase', () => {
    const before = bytesOf(box.vault);
    const run = box.run(['edit', 'github'], { env: { LIFEBOAT_PASSPHRASE: undefined } });
    expect(run.status).toBe(2);
    expect(talk(run)).toEqual(['lifeboat: error: nothing to change', 'lifeboat: hint: pass --service, --username or --note (an empty value clears it)']);
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('refuses a control character, exit 2, vault unchanged', () => {
    const before = bytesOf(box.vault);
    const run = box.run(['edit', 'github', '--note', 'a\u001b[2Jb']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('the note must not contain control characters');
    expect(bytesOf(box.vault)).toEqual(before);
  });

  it('an unknown account exits 4', () => {
    expect(box.run(['edit', 'gitlab', '--note', 'x']).status).toBe(4);
  });
});

describe('add --username on a batch already stored', () => {
  it('says it updated the username, not "nothing changed"', () => {
    const run = box.run(['add', 'github', '--username', 'ada'], { input: 'a1b2c-3d4e5\nf6a7b-8c9d0\n' });
    expect(run.status).toBe(0);
    expect(talk(run)).toContain('lifeboat: github already has this batch: updated the username to "ada"');
    expect(details().username).toBe('ada');
    const again = box.run(['add', 'github', '--username', 'ada'], { input: 'a1b2c-3d4e5\nf6a7b-8c9d0\n' });
    expect(talk(again)).toContain('lifeboat: github already has this batch: nothing changed');
  });
});
