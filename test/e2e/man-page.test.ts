// End-to-end: the man page the build writes agrees with --help and renders cleanly (issue 9, "A man page").
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBin } from '../support/cli.js';
import { requireTools } from '../support/tools.js';

const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
let dir: string;
let page: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-man-'));
  page = path.join(dir, 'lifeboat.1');
  // The very step `npm run build` runs (package.json), into a scratch folder.
  const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli', 'write-man-page.js'), page], {
    encoding: 'utf8',
    env: { ...env, SOURCE_DATE_EPOCH: '1796083200' },
  });
  expect(run.status, run.stderr).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The commands --help lists. */
function commands(): string[] {
  const section = runBin(['--help'], env).stdout.split('Commands:\n')[1] ?? '';
  // `help [command]` is commander's own command, which prints these very texts: the man page is its page.
  return [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((match) => match[1] ?? '').filter((name) => name !== 'help');
}

/** The option terms (`-c, --copy`, `--out <file>`) a --help text lists. */
function optionTerms(help: string): string[] {
  const section = help.split('Options:\n')[1]?.split(/\n\n/)[0] ?? '';
  return [...section.matchAll(/^ {2}(-\S.*?)(?: {2,}|$)/gm)].map((match) => match[1] ?? '');
}

describe.runIf(requireTools(['groff']))('man lifeboat', () => {
  let text = '';
  beforeAll(() => {
    // Plain ASCII, no overstriking, wide enough that no option term is broken across lines.
    const run = spawnSync('groff', ['-man', '-Tascii', '-P', '-cbou', '-rLL=200n', page], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    text = run.stdout;
  });

  it('renders without a single warning (groff -ww)', () => {
    const run = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', page], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('has the name, a synopsis, the exit statuses and the date from SOURCE_DATE_EPOCH', () => {
    expect(text).toMatch(/^NAME\n\s+lifeboat - an encrypted vault for two-factor-authentication backup codes$/m);
    expect(text).toContain('SYNOPSIS');
    expect(text).toMatch(/EXIT STATUS[\s\S]*\n\s+130\s+cancelled at a prompt/);
    expect(text).toMatch(/2026-12-01\s+LIFEBOAT\(1\)/);
  });

  it('holds every global option --help lists', () => {
    const terms = optionTerms(runBin(['--help'], env).stdout);
    expect(terms).toContain('--vault <path>');
    for (const term of terms) expect(text).toContain(term);
  });

  it.each(commands())('holds the command %s with its usage, description, every option and example', (command) => {
    const help = runBin([command, '--help'], env).stdout;
    const usage = /^Usage: (.*)$/m.exec(help)?.[1] ?? '';
    expect(usage).not.toBe('');
    expect(text).toContain(usage);
    // --help wraps a long description at 80 columns; the man page wraps it where the renderer does.
    const description = (help.split('\n\n')[1] ?? '').replace(/\s+/g, ' ').trim();
    expect(text.replace(/\s+/g, ' ')).toContain(description);
    const terms = optionTerms(help);
    expect(terms).toContain('-h, --help');
    const section = text.slice(text.indexOf(usage));
    for (const term of terms) expect(section).toContain(term);
    for (const example of help.matchAll(/^ {2}\$ (.*)$/gm)) expect(section).toContain(`$ ${example[1]}`);
  });

  it('lists no command that --help does not (the hidden __complete stays out)', () => {
    const listed = [...text.matchAll(/^ {3}lifeboat ([a-z][\w-]*)/gm)].map((match) => match[1]);
    expect(listed).toEqual(commands());
    expect(text).not.toContain('__complete');
  });
});

describe.runIf(requireTools(['man']))('man -l', () => {
  it('shows the page with man itself, without warnings', () => {
    const run = spawnSync('man', ['--warnings', '-l', page], { encoding: 'utf8', env: { ...env, MANPAGER: 'cat', MANWIDTH: '100' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/lifeboat use \[options\] <account>/);
  });
});
