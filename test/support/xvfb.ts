/**
 * A private X server for clipboard tests, and the policy for tests that need outside tools.
 *
 * Policy: a missing tool skips the test with a printed reason on a developer's machine, but fails it when
 * `CI === 'true'`, so a CI image that lost Xvfb or xsel cannot silently turn the real clipboard tests off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A running Xvfb: its display name (`:N`) and how to stop it together with every xsel serving its clipboard. */
export interface Xvfb {
  readonly display: string;
  stop(): Promise<void>;
}

/** Whether `name` is an executable file in one of PATH's folders. */
export function hasTool(name: string): boolean {
  for (const folder of (process.env['PATH'] ?? '').split(delimiter)) {
    if (folder === '') continue;
    try {
      accessSync(join(folder, name), constants.X_OK);
      return true;
    } catch {
      // Not in this folder.
    }
  }
  return false;
}

/**
 * Applies the policy to `names`: returns null when all are installed; otherwise prints why and returns the reason
 * (pass it to `describe.skipIf`), or throws when `CI === 'true'`.
 */
export function requireTools(names: readonly string[]): string | null {
  const missing = names.filter((name) => !hasTool(name));
  if (missing.length === 0) return null;
  const reason = `missing ${missing.join(', ')} on PATH (Debian: apt-get install xvfb xsel)`;
  if (process.env['CI'] === 'true') throw new Error(`${reason}; required in CI`);
  console.warn(`skipping real clipboard tests: ${reason}`);
  return reason;
}

/**
 * Starts `Xvfb -displayfd 3 -nolisten tcp` (it picks a free display and writes its number to fd 3). Returns null when
 * Xvfb is missing and the policy allows skipping; throws when it is missing in CI or does not come up in 10 s.
 */
export async function startXvfb(): Promise<Xvfb | null> {
  if (requireTools(['Xvfb']) !== null) return null;
  const server = spawn('Xvfb', ['-displayfd', '3', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  let display: string;
  try {
    display = `:${await displayNumber(server)}`;
  } catch (error) {
    server.kill('SIGKILL');
    throw error;
  }
  return {
    display,
    async stop() {
      for (const pid of xselPids(display)) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
      await stopProcess(server);
    },
  };
}

function displayNumber(server: ChildProcess): Promise<string> {
  const fd3 = server.stdio[3];
  if (fd3 === null || fd3 === undefined || !('on' in fd3)) return Promise.reject(new Error('Xvfb: no fd 3'));
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error('Xvfb did not report a display within 10 s')), 10_000);
    fd3.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /^(\d+)\n/.exec(seen);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited early (${code ?? signal})`));
    });
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Pids of xsel processes (system or clipboardy's bundled copy) talking to `display`; only our tests use it. */
export function xselPids(display: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'xsel') continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`DISPLAY=${display}`)) pids.push(Number(entry));
    } catch {
      // Exited meanwhile, or not ours to read.
    }
  }
  return pids;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
