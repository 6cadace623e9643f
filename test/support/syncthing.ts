import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Two real Syncthing instances (Debian's `syncthing`) on loopback for tests: own homes in a temp folder,
 * fixed high ports on 127.0.0.1, no discovery, relays, NAT traversal, usage reporting or upgrades, a shared
 * folder between them, and the REST API (https://docs.syncthing.net/dev/rest.html) to scan, pause, resume
 * and wait with bounded time-outs. Folder watching is off: the tests scan when they changed something.
 */

/** One Syncthing instance. */
export interface Device {
  readonly name: string;
  readonly id: string;
  readonly home: string;
  readonly folder: string;
  readonly guiPort: number;
  readonly apiKey: string;
  process: ChildProcess | undefined;
}

const FOLDER_ID = 'lifeboat';

/** Generates a device's key and reads its id. */
function generate(home: string): string {
  const made = spawnSync('syncthing', ['generate', `--home=${home}`, '--no-default-folder'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`syncthing generate failed: ${made.stderr}`);
  const id = /Device ID: ([A-Z0-9-]+)/.exec(made.stdout + made.stderr)?.[1];
  if (!id) throw new Error(`no device id in: ${made.stdout}${made.stderr}`);
  return id;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Writes the whole config.xml: the folder shared with the peer, the peer at its static address, all outside help off. */
function writeConfig(device: Device, peer: Device, listenPort: number, peerPort: number): void {
  const generated = fs.readFileSync(path.join(device.home, 'config.xml'), 'utf8');
  const version = /<configuration version="(\d+)"/.exec(generated)?.[1] ?? '36';
  const deviceXml = (d: Device, address: string): string =>
    `    <device id="${d.id}" name="${d.name}" compression="metadata" introducer="false">\n        <address>${address}</address>\n        <paused>false</paused>\n    </device>\n`;
  const config = `<configuration version="${version}">
    <folder id="${FOLDER_ID}" label="lifeboat" path="${escapeXml(device.folder)}" type="sendreceive" rescanIntervalS="3600" fsWatcherEnabled="false" ignorePerms="false" autoNormalize="true">
        <filesystemType>basic</filesystemType>
        <device id="${device.id}"></device>
        <device id="${peer.id}"></device>
        <minDiskFree unit="%">0</minDiskFree>
        <maxConflicts>10</maxConflicts>
        <paused>false</paused>
    </folder>
${deviceXml(device, 'dynamic')}${deviceXml(peer, `tcp://127.0.0.1:${peerPort}`)}    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:${device.guiPort}</address>
        <apikey>${device.apiKey}</apikey>
        <theme>default</theme>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:${listenPort}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <urAccepted>-1</urAccepted>
        <urSeen>3</urSeen>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <startBrowser>false</startBrowser>
        <crashReportingEnabled>false</crashReportingEnabled>
        <reconnectionIntervalS>1</reconnectionIntervalS>
        <progressUpdateIntervalS>1</progressUpdateIntervalS>
        <setLowPriority>false</setLowPriority>
    </options>
</configuration>
`;
  fs.writeFileSync(path.join(device.home, 'config.xml'), config, { mode: 0o600 });
}

/** A pair of devices sharing one folder, not yet started. Ports are fixed: `base`, `base + 1` (sync) and `base + 10`, `base + 11` (REST). */
export function makePair(root: string, base: number): [Device, Device] {
  const devices = (['a', 'b'] as const).map((name, i): Device => {
    const home = path.join(root, `syncthing-${name}`);
    const folder = path.join(root, `folder-${name}`);
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const id = generate(home);
    return { name, id, home, folder, guiPort: base + 10 + i, apiKey: `lifeboat-test-key-${name}-${Date.now()}`, process: undefined };
  }) as [Device, Device];
  writeConfig(devices[0], devices[1], base, base + 1);
  writeConfig(devices[1], devices[0], base + 1, base);
  return devices;
}

/** Starts an instance; its log goes to a file in its home. */
export function start(device: Device, home: string): void {
  const log = fs.openSync(path.join(device.home, 'log.txt'), 'a');
  device.process = spawn('syncthing', ['serve', `--home=${device.home}`, '--no-browser', '--no-restart', '--no-upgrade'], {
    stdio: ['ignore', log, log],
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, STNOUPGRADE: '1', STNORESTART: '1' },
  });
  fs.closeSync(log);
}

/** Stops an instance (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
export async function stop(device: Device): Promise<void> {
  const child = device.process;
  device.process = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Calls the REST API. */
export async function api(device: Device, method: 'GET' | 'POST', endpoint: string): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${device.guiPort}${endpoint}`, { method, headers: { 'X-API-Key': device.apiKey } });
  if (!response.ok) throw new Error(`${method} ${endpoint} on ${device.name}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text === '' ? null : (JSON.parse(text) as unknown);
}

/** Polls `check` every 250 ms until it returns true, for at most `timeoutMs`; throws with `what` otherwise. */
export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until the REST API answers. */
export function waitUp(device: Device, timeoutMs = 30_000): Promise<void> {
  return waitFor(`syncthing ${device.name} to answer`, timeoutMs, async () => (await api(device, 'GET', '/rest/system/ping')) !== null);
}

/** Whether `device` is connected to `peer` now. */
export async function connected(device: Device, peer: Device): Promise<boolean> {
  const state = (await api(device, 'GET', '/rest/system/connections')) as { connections: Record<string, { connected: boolean }> };
  return state.connections[peer.id]?.connected === true;
}

/** Pauses or resumes the link to `peer` on `device`. */
export async function setPaused(device: Device, peer: Device, paused: boolean): Promise<void> {
  await api(device, 'POST', `/rest/system/${paused ? 'pause' : 'resume'}?device=${peer.id}`);
}

/** Rescans the shared folder now and waits until the scan is done. */
export async function scan(device: Device): Promise<void> {
  await api(device, 'POST', `/rest/db/scan?folder=${FOLDER_ID}`);
}

/** Whether `device` sees `peer` as holding everything of the shared folder, and its own folder is idle. */
export async function inSync(device: Device, peer: Device): Promise<boolean> {
  const completion = (await api(device, 'GET', `/rest/db/completion?folder=${FOLDER_ID}&device=${peer.id}`)) as { completion: number; needItems: number };
  const status = (await api(device, 'GET', `/rest/db/status?folder=${FOLDER_ID}`)) as { state: string; needFiles: number };
  return completion.completion === 100 && completion.needItems === 0 && status.state === 'idle' && status.needFiles === 0;
}
