// End-to-end with real Syncthing (issue 8, "Tests that use the real engines"): two instances on loopback share
// a folder that holds the vault. Both devices change the vault while their link is paused; when it resumes,
// Syncthing keeps one version and renames the other to a conflict copy; the next lifeboat command merges the
// copy, and after a final sync both devices hold the same content with every change.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSPHRASE, instagramCodes, runBin, type Run } from '../support/cli.js';
import { connected, inSync, makePair, scan, setPaused, start, stop, waitFor, waitUp, type Device } from '../support/syncthing.js';
import { requireTools } from '../support/tools.js';

// Fixed high ports on 127.0.0.1 (sync 22101-22102, REST 22111-22112), chosen away from Syncthing's defaults.
const BASE_PORT = 22101;
const INSTA = instagramCodes(6, 11);
const GITHUB = instagramCodes(6, 12);
// lifeboat's own local files stay out of the sync: the lock, the temp files of a save, and the backup.
const STIGNORE = '*.lifeboat.lock\n.*.tmp-*\n*.lifeboat.backup\n';

let root: string;
let a: Device;
let b: Device;

const HAVE_SYNCTHING = requireTools(['syncthing']);

function vaultOf(device: Device): string {
  return path.join(device.folder, 'vault.lifeboat');
}

function lifeboat(device: Device, args: readonly string[], input = ''): Run {
  // Each device has a home of its own (lifeboat keeps per-device state there).
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: device.home, LIFEBOAT_VAULT: vaultOf(device), LIFEBOAT_PASSPHRASE: PASSPHRASE, LIFEBOAT_INSECURE_TEST_KDF: '1' };
  const run = runBin(args, env, { input });
  if (run.status !== 0) throw new Error(`lifeboat ${args.join(' ')} on ${device.name}: exit ${run.status}\n${run.stderr}`);
  return run;
}

function conflictCopies(device: Device): string[] {
  return fs.readdirSync(device.folder).filter((name) => name.includes('.sync-conflict-'));
}

function same(x: string, y: string): boolean {
  return fs.existsSync(x) && fs.existsSync(y) && fs.readFileSync(x).equals(fs.readFileSync(y));
}

/** Scans both folders and waits until each device has everything of the other and the vault files are equal. */
async function settle(what: string): Promise<void> {
  await scan(a);
  await scan(b);
  await waitFor(what, 60_000, async () => {
    const copies = (d: Device): string => conflictCopies(d).sort().join('/');
    return (await inSync(a, b)) && (await inSync(b, a)) && same(vaultOf(a), vaultOf(b)) && copies(a) === copies(b);
  });
}

beforeAll(async () => {
  if (!HAVE_SYNCTHING) return;
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-syncthing-'));
  [a, b] = makePair(root, BASE_PORT);
  for (const device of [a, b]) {
    fs.writeFileSync(path.join(device.folder, '.stignore'), STIGNORE);
    start(device, root);
  }
  await Promise.all([waitUp(a), waitUp(b)]);
  await waitFor('the two devices to connect', 60_000, async () => (await connected(a, b)) && (await connected(b, a)));
}, 120_000);

afterAll(async () => {
  await Promise.all([a, b].filter(Boolean).map((device) => stop(device)));
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 30_000);

describe.runIf(HAVE_SYNCTHING)('Syncthing, for real', () => {
  it('changes made on both devices while apart end up on both, through the conflict copy', { timeout: 300_000 }, async () => {
    lifeboat(a, ['init']);
    lifeboat(a, ['add', 'insta', '--yes'], `${INSTA.join('\n')}\n`);
    await settle('the new vault to reach device b');

    // Apart: the link is paused on both sides; each device changes the vault.
    await setPaused(a, b, true);
    await setPaused(b, a, true);
    await waitFor('the link to go down', 30_000, async () => !(await connected(a, b)) && !(await connected(b, a)));
    expect(lifeboat(a, ['use', 'insta']).stdout).toBe(`${INSTA[0]}\n`);
    lifeboat(b, ['spend', 'insta', INSTA[3]!]);
    lifeboat(b, ['add', 'github', '--yes'], `${GITHUB.join('\n')}\n`);
    await scan(a);
    await scan(b);

    // Together again: Syncthing keeps one version as vault.lifeboat and the other as a conflict copy, on both.
    await setPaused(a, b, false);
    await setPaused(b, a, false);
    await waitFor('the link to come back', 60_000, async () => (await connected(a, b)) && (await connected(b, a)));
    await settle('the conflict to be resolved by syncthing on both devices');
    await waitFor('a conflict copy on both devices', 60_000, async () => {
      await scan(a);
      await scan(b);
      return conflictCopies(a).length === 1 && conflictCopies(b).length === 1;
    });
    const [copyName] = conflictCopies(a);
    expect(copyName).toMatch(/^vault\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}\.lifeboat$/);

    // A read-only command says so; the next command that writes merges it in and removes it.
    expect(lifeboat(b, ['list']).stderr).toContain('run `lifeboat merge --conflicts`');
    const use = lifeboat(a, ['use', 'insta']);
    expect(use.stderr).toContain(`lifeboat: merged the syncthing conflict copy ${copyName}`);
    expect(use.stdout).toBe(`${INSTA[1]}\n`);
    expect(conflictCopies(a)).toEqual([]);

    // A final sync: both devices hold the same vault, with every change, and no conflict copy.
    await settle('the merged vault to reach device b');
    expect(conflictCopies(b)).toEqual([]);
    for (const device of [a, b]) {
      const list = JSON.parse(lifeboat(device, ['list', '--json']).stdout) as { name: string }[];
      expect(list.map((account) => account.name).sort()).toEqual(['github', 'insta']);
      const shown = JSON.parse(lifeboat(device, ['show', 'insta', '--json']).stdout) as { codes: { code: string; state: string }[] };
      expect(shown.codes.filter((c) => c.state === 'spent').map((c) => c.code)).toEqual([INSTA[0], INSTA[1], INSTA[3]]);
    }
    expect(same(vaultOf(a), vaultOf(b))).toBe(true);
  });
});
