// Proof (issue 5, "Secrets"): during a matrix of every command, run with LIFEBOAT_PASSPHRASE_FILE and
// codes on stdin, every process's command line and environment hold no code and no passphrase; with
// LIFEBOAT_PASSPHRASE set, no child (clipboard clearer, xsel, passphrase command, lp) inherits it; stdout,
// stderr and every file left behind hold codes only where plaintext was asked for; files are 0600 and
// folders 0700 under umask 000 and 022, and a readable vault is warned about.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXvfb, type Xvfb } from '../support/xvfb.js';
import { locksIn, tempsIn } from './crash.js';
import { figures, proofBox, randomCodes, randomPassphrase, type ProofBox, type ProofRun } from './support.js';

const report = figures();
const SAMPLER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'proc-sampler.mjs');

interface Sample {
  passes: number;
  reads: number;
  ours: { pid: number; name: string; samples: number }[];
  hits: { pid: number; where: string; kind: string; ours: boolean; command: string }[];
}

/** Starts the /proc sampler in its own process; `stop` ends it and returns what it saw. */
function startSampler(secrets: readonly { kind: string; value: string }[], markers: readonly string[]): { stop(): Promise<Sample> } {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-sampler-'));
  const secretsFile = path.join(scratch, 'secrets.tsv');
  fs.writeFileSync(secretsFile, secrets.map((s) => `${s.kind}\t${s.value}\n`).join(''), { mode: 0o600 });
  const out = path.join(scratch, 'sample.json');
  const child = spawn(process.execPath, [SAMPLER, secretsFile, out, ...markers], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    async stop() {
      child.stdin.end();
      await exited;
      const sample = JSON.parse(fs.readFileSync(out, 'utf8')) as Sample;
      fs.rmSync(scratch, { recursive: true, force: true });
      return sample;
    },
  };
}

/** Every secret of a run, as a code is stored ("1234 5678") and typed without grouping ("12345678"). */
function secretList(codes: readonly string[], passphrases: readonly string[]): { kind: string; value: string }[] {
  return [
    ...passphrases.map((value) => ({ kind: 'passphrase', value })),
    ...codes.flatMap((code) => [
      { kind: 'code', value: code },
      { kind: 'code', value: code.replace(/[\s-]/g, '') },
    ]),
  ];
}

/** Every file under a folder, recursively. */
function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

let xvfb: Xvfb | null = null;
beforeAll(async () => {
  xvfb = await startXvfb();
}, 30_000);
afterAll(async () => {
  await xvfb?.stop();
});

describe('the command matrix, sampled through /proc', () => {
  let box: ProofBox;
  const codesA = randomCodes(10);
  const codesB = randomCodes(5);
  const newPassphrase = randomPassphrase();
  const exportPassphrase = randomPassphrase();
  const runs: { label: string; plaintext: boolean; run: ProofRun }[] = [];
  let lpStub = '';
  let extraEnv: Record<string, string> = {};

  beforeAll(() => {
    box = proofBox();
    lpStub = path.join(box.dir, 'lp-stub');
    fs.mkdirSync(lpStub);
    // A stand-in for CUPS's lp: lives long enough to be sampled, reads the sheet and throws it away.
    fs.writeFileSync(path.join(lpStub, 'lp'), '#!/bin/sh\nsleep 0.3\ncat > /dev/null\n', { mode: 0o755 });
    fs.mkdirSync(path.join(box.dir, 'run'), { mode: 0o700 });
    fs.mkdirSync(path.join(box.dir, 'tmp'), { mode: 0o700 });
    extraEnv = {
      PATH: `${lpStub}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
      XDG_RUNTIME_DIR: path.join(box.dir, 'run'),
      TMPDIR: path.join(box.dir, 'tmp'),
      LIFEBOAT_CLIP_TIME: '1',
      ...(xvfb ? { DISPLAY: xvfb.display } : {}),
    };
  });
  afterAll(() => box.cleanup());

  const passFile = (name: string, value: string): string => {
    const file = path.join(box.dir, name);
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
    return file;
  };

  it('0 codes and 0 passphrases in any command line or environment, with LIFEBOAT_PASSPHRASE_FILE', async () => {
    const sampler = startSampler(secretList([...codesA, ...codesB], [box.passphrase, newPassphrase, exportPassphrase]), [box.dir]);
    const run = async (label: string, args: string[], options: { input?: string; env?: Record<string, string>; plaintext?: boolean } = {}) => {
      const result = await box.run(args, { input: options.input, env: { ...extraEnv, ...options.env } });
      runs.push({ label, plaintext: options.plaintext ?? false, run: result });
      return result;
    };
    const exportFile = path.join(box.dir, 'export.lifeboat');
    const newFile = passFile('new-pass.txt', newPassphrase);
    const exportPassFile = passFile('export-pass.txt', exportPassphrase);
    const step = async (label: string, args: string[], status: number, options: Parameters<typeof run>[2] = {}) => {
      const result = await run(label, args, options);
      expect(result.status, `${label}: ${result.stderr}`).toBe(status);
    };
    await step('init', ['init'], 0);
    await step('add from stdin', ['add', 'alpha'], 0, { input: `${codesA.join('\n')}\n` });
    await step('add a second account', ['add', 'beta'], 0, { input: `${codesB.join('\n')}\n` });
    await step('list', ['list'], 0);
    await step('list --json', ['list', '--json'], 0);
    await step('show', ['show', 'alpha'], 0, { plaintext: true });
    await step('show --json', ['show', 'alpha', '--json'], 0, { plaintext: true });
    await step('use', ['use', 'alpha'], 0, { plaintext: true });
    await step('spend (code on stdin)', ['spend', 'alpha'], 0, { input: `${codesA[5]}\n` });
    await step('check (code on stdin)', ['check'], 0, { input: `${codesB[0]}\n` });
    await step('check --json (spent code on stdin)', ['check', '--json'], 0, { input: `${codesA[5]}\n` });
    await step('unspend (code on stdin)', ['unspend', 'alpha'], 0, { input: `${codesA[5]}\n` });
    await step('rename', ['rename', 'beta', 'gamma'], 0);
    await step('print (stdout)', ['print', 'alpha'], 0, { plaintext: true });
    await step('print --printer (lp stub)', ['print', 'alpha', '--printer'], 0);
    await step('export --plaintext --format json', ['export', '--plaintext', '--format', 'json'], 0, { plaintext: true });
    await step('export --out (encrypted)', ['export', '--out', exportFile], 0, { env: { LIFEBOAT_NEW_PASSPHRASE_FILE: exportPassFile } });
    await step('import (encrypted export)', ['import', exportFile], 0, { env: { LIFEBOAT_NEW_PASSPHRASE_FILE: exportPassFile } });
    if (xvfb) await step('use --copy (Xvfb, clipboard clearer)', ['use', 'alpha', '--copy'], 0);
    await step('list (LIFEBOAT_PASSPHRASE_COMMAND)', ['list'], 0, {
      env: { LIFEBOAT_PASSPHRASE_FILE: '', LIFEBOAT_PASSPHRASE_COMMAND: `sleep 0.3; cat '${box.passphraseFile}' # pp-cmd` },
    });
    await step('passwd', ['passwd'], 0, { env: { LIFEBOAT_NEW_PASSPHRASE_FILE: newFile } });
    fs.writeFileSync(box.passphraseFile, `${newPassphrase}\n`);
    await step('remove --yes', ['remove', 'gamma', '--yes'], 0);
    await step('wrong passphrase', ['list'], 3, { env: { LIFEBOAT_PASSPHRASE_FILE: exportPassFile } });
    if (xvfb) await new Promise((resolve) => setTimeout(resolve, 1500)); // the clearer's 1 s, sampled to its end
    const sample = await sampler.stop();
    const processes = sample.ours.length;
    const lifeboats = sample.ours.filter((p) => p.name.includes('lifeboat.js')).length;
    const children = processes - lifeboats;
    report.push(
      `secrets in /proc (LIFEBOAT_PASSPHRASE_FILE matrix, ${runs.length} commands${xvfb ? ' incl. use --copy under Xvfb' : ', no Xvfb: use --copy skipped'}): ` +
        `${sample.hits.filter((h) => h.kind === 'code').length} codes, ${sample.hits.filter((h) => h.kind === 'passphrase').length} passphrases found; ` +
        `${processes} processes sampled (${lifeboats} lifeboat, ${children} children: ${[...new Set(sample.ours.filter((p) => !p.name.includes('lifeboat.js')).map((p) => p.name.split(' ')[0]))].join(', ')}), ${sample.passes} passes over /proc`,
    );
    expect(sample.hits).toEqual([]);
    expect(lifeboats).toBeGreaterThanOrEqual(runs.length / 2);
  });

  it('stdout, stderr and every file left behind: codes only where plaintext was asked for, the passphrase nowhere', () => {
    const codes = [...codesA, ...codesB].flatMap((code) => [code, code.replace(/\s/g, '')]);
    const passphrases = [box.passphrase, newPassphrase, exportPassphrase];
    const bad: string[] = [];
    let plaintextHits = 0;
    for (const { label, plaintext, run } of runs) {
      for (const secret of passphrases) {
        if (run.stdout.includes(secret) || run.stderr.includes(secret)) bad.push(`${label}: a passphrase in its output`);
      }
      for (const code of codes) {
        if (run.stderr.includes(code)) bad.push(`${label}: a code on stderr`);
        if (run.stdout.includes(code)) {
          if (plaintext) plaintextHits += 1;
          else bad.push(`${label}: a code on stdout`);
        }
      }
    }
    const ownFiles = new Set(['passphrase.txt', 'new-pass.txt', 'export-pass.txt', 'lp']);
    const files = filesUnder(box.dir).filter((file) => !ownFiles.has(path.basename(file)));
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const secret of [...codes, ...passphrases]) {
        if (bytes.includes(Buffer.from(secret, 'utf8'))) bad.push(`${path.relative(box.dir, file)} holds a secret`);
      }
    }
    report.push(
      `secrets in output and files: ${bad.length} leaks; codes on stdout only for use/show/print/export --plaintext (${plaintextHits} hits there); ${files.length} files left in the temp and vault folders scanned (${files.map((f) => path.basename(f)).join(', ')})`,
    );
    expect(bad).toEqual([]);
    expect(plaintextHits).toBeGreaterThan(0);
  });

  it('with LIFEBOAT_PASSPHRASE set, no child process inherits it (passphrase command, clipboard clearer, xsel, lp)', async () => {
    const passphrase = fs.readFileSync(box.passphraseFile, 'utf8').trim();
    const next = randomPassphrase();
    const sampler = startSampler(secretList([], [passphrase, next]), [box.dir]);
    const nextFile = passFile('next-pass.txt', next);
    const env = { ...extraEnv, LIFEBOAT_PASSPHRASE_FILE: undefined, LIFEBOAT_PASSPHRASE: passphrase };
    const labels: string[] = [];
    const go = async (label: string, args: string[], extra: Record<string, string> = {}) => {
      const result = await box.run(args, { env: { ...env, ...extra } });
      expect(result.status, `${label}: ${result.stderr}`).toBe(0);
      labels.push(label);
    };
    await go('print --printer', ['print', 'alpha', '--printer']);
    if (xvfb) await go('use --copy', ['use', 'alpha', '--copy']);
    await go('passwd, new passphrase from a command', ['passwd'], { LIFEBOAT_NEW_PASSPHRASE_COMMAND: `sleep 0.3; cat '${nextFile}' # pp-cmd` });
    if (xvfb) await new Promise((resolve) => setTimeout(resolve, 1500));
    const sample = await sampler.stop();
    const children = sample.ours.filter((p) => !p.name.includes('lifeboat.js') && p.name.trim() !== '');
    const inherited = sample.hits.filter((h) => !(h.where === 'environ' && h.command.includes('lifeboat.js')));
    const own = sample.hits.filter((h) => h.where === 'environ' && h.command.includes('lifeboat.js'));
    report.push(
      `LIFEBOAT_PASSPHRASE: inherited by ${new Set(inherited.map((h) => h.pid)).size} of ${children.length} child processes sampled (${[...new Set(children.map((p) => p.name.split(' ')[0]))].join(', ')}); ` +
        `visible in the environ of ${new Set(own.map((h) => h.pid)).size} lifeboat processes themselves (as documented)`,
    );
    expect(inherited).toEqual([]);
    expect(children.length).toBeGreaterThan(0);
    fs.writeFileSync(box.passphraseFile, `${next}\n`);
  });
});

describe('file modes under umask 000 and 022', () => {
  it('vault, backup, temp and lock files are 0600, a folder lifeboat creates is 0700; a readable vault is warned about', async () => {
    const seen: string[] = [];
    for (const umask of ['000', '022']) {
      const box = proofBox();
      try {
        const mode = (file: string): string => (fs.statSync(file).mode & 0o777).toString(8).padStart(4, '0');
        const init = await box.run(['init'], { umask });
        expect(init.status, init.stderr).toBe(0);
        const add = await box.run(['add', 'alpha'], { umask, input: `${randomCodes(5).join('\n')}\n` });
        expect(add.status, add.stderr).toBe(0);
        // Killed just before the rename: the temp file and the lock are still there to look at.
        const killed = await box.run(['use', 'alpha'], { umask, shim: true, env: { LIFEBOAT_TEST_FS_KILL: 'rename:1' } });
        expect(killed.signal, killed.stderr).toBe('SIGKILL');
        const temp = tempsIn(box.folder)[0];
        const lock = locksIn(box.folder)[0];
        expect(temp).toBeDefined();
        expect(lock).toBeDefined();
        const exportFile = path.join(box.dir, 'copy.lifeboat');
        const exported = await box.run(['export', '--out', exportFile], { umask, env: { LIFEBOAT_NEW_PASSPHRASE: randomPassphrase() } });
        expect(exported.status, exported.stderr).toBe(0);
        const modes = {
          folder: mode(box.folder),
          vault: mode(box.vault),
          backup: mode(`${box.vault}.backup`),
          temp: mode(path.join(box.folder, temp ?? '')),
          lock: mode(path.join(box.folder, lock ?? '')),
          export: mode(exportFile),
        };
        expect(modes).toEqual({ folder: '0700', vault: '0600', backup: '0600', temp: '0600', lock: '0600', export: '0600' });
        seen.push(`umask ${umask}: ${Object.entries(modes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        fs.chmodSync(box.vault, 0o644);
        const warned = await box.run(['list'], { umask });
        expect(warned.status).toBe(0);
        expect(warned.stderr).toContain(`${box.vault} can be read by other users (mode 644)`);
      } finally {
        box.cleanup();
      }
    }
    report.push(`file modes: ${seen.join('; ')}; a 0644 vault is warned about`);
  });
});
