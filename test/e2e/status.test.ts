// End-to-end: `lifeboat status`, one screen of what needs attention; exit 0 when nothing does, 1 when
// something does (issue 9, "New commands").
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instagramCodes, sandbox, type Sandbox } from '../support/cli.js';

interface Item {
  readonly kind: string;
  readonly level: string;
  readonly account: string | null;
  readonly message: string;
}
interface Report {
  readonly attention: boolean;
  readonly lastExport: string | null;
  readonly items: readonly Item[];
}

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

const attention = (report: Report) => report.items.filter((item) => item.level === 'attention').map((item) => [item.kind, item.account]);

describe('lifeboat status', () => {
  it('a vault at the default cost with fresh codes needs nothing: exit 0; an export is noted, and batches added after it are flagged', () => {
    const real = { cheapKdf: false } as const;
    expect(box.run(['init'], real).status).toBe(0);
    // A service that issues three codes is not "running low" the moment it is added, nor after one is used.
    expect(box.run(['add', 'bank'], { ...real, input: instagramCodes(3, 7).join('\n') }).status).toBe(0);
    expect(box.run(['use', 'bank'], real).status).toBe(0);
    const quiet = box.run(['status'], real);
    expect(quiet.status, quiet.stdout + quiet.stderr).toBe(0);
    expect(quiet.stdout).toContain('nothing needs attention');
    expect(quiet.stdout).toContain("key derivation 64 MiB, 3 passes (today's default: 64 MiB, 3 passes)");
    expect(quiet.stdout).toContain('no encrypted export of this vault is known');

    const backup = path.join(box.dir, 'backup.lifeboat');
    expect(box.run(['export', '--out', backup], { ...real, env: { LIFEBOAT_NEW_PASSPHRASE: 'export pass' } }).status).toBe(0);
    const mark = `${box.vault}.exported`;
    expect(fs.statSync(mark).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(mark, 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\n$/);
    const exported = box.run(['status', '--json'], real);
    expect(exported.status).toBe(0);
    expect((JSON.parse(exported.stdout) as Report).lastExport).toBe(fs.readFileSync(mark, 'utf8').trim());

    expect(box.run(['add', 'forum'], { ...real, input: instagramCodes(4).join('\n') }).status).toBe(0);
    const stale = box.run(['status'], real);
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain('1 thing needs attention:\n  ! 1 batch was added since the last export\n    write a new one: `lifeboat export --out FILE`\n');
  }, 180_000);

  it('lists low and empty accounts, a printed sheet of a superseded batch, a cheap key derivation and an open folder; --json; exit 1', () => {
    expect(box.run(['init']).status).toBe(0);
    expect(box.run(['add', 'ig'], { input: instagramCodes(4).join('\n') }).status).toBe(0);
    for (let i = 0; i < 3; i += 1) expect(box.run(['use', 'ig']).status).toBe(0);
    expect(box.run(['add', 'one'], { input: instagramCodes(2, 9).join('\n') }).status).toBe(0);
    expect(box.run(['use', 'one']).status).toBe(0);
    expect(box.run(['use', 'one']).status).toBe(0);
    expect(box.run(['add', 'forum'], { input: instagramCodes(4, 3).join('\n') }).status).toBe(0);
    expect(box.run(['print', 'forum', '--out', path.join(box.dir, 'forum.txt')]).status).toBe(0);
    expect(box.run(['add', 'forum', '--yes'], { input: instagramCodes(4, 5).join('\n') }).status).toBe(0);
    fs.chmodSync(path.dirname(box.vault), 0o755);

    const run = box.run(['status', '--json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.attention).toBe(true);
    expect(attention(report)).toEqual([
      ['low-codes', 'ig'],
      ['no-codes', 'one'],
      ['destroy-sheet', 'forum'],
      ['key-derivation', null],
      ['unsafe-folder', null],
    ]);
    for (const item of report.items) expect(item.message).not.toMatch(/\d{4} \d{4}/);

    const text = box.run(['status']);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('5 things need attention:');
    expect(text.stdout).toContain('  ! ig: only 1 of 4 codes left\n    generate new codes at the service, then run `lifeboat add ig`\n');
    expect(text.stdout).toMatch(/ {2}! the batch [0-9a-f]{4}-[0-9a-f]{4} of forum, superseded on \d{4}-\d\d-\d\d, was printed on \d{4}-\d\d-\d\d\n {4}destroy that sheet: its codes no longer work\n/);
    expect(text.stdout).toContain(`  ! the vault's folder ${path.dirname(box.vault)} can be read by other users (mode 755)\n    run \`chmod 700 ${path.dirname(box.vault)}\`\n`);
  });
});
