import { spawnSync } from 'node:child_process';

/**
 * Tests that drive a system tool (Xvfb, xsel, chromium, tmux, python3-nacl …) run only where it exists.
 * Locally a missing tool skips the test with a printed reason; under CI (`CI=true`) it fails instead,
 * so a green CI run always means the test really ran.
 */

/** Whether a command is on PATH (or an absolute path that exists). */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v '${command}'`], { stdio: 'ignore' }).status === 0;
}

/** Returns true when every tool is present; otherwise prints why and returns false, or throws under CI. */
export function requireTools(commands: readonly string[], check: (command: string) => boolean = hasCommand): boolean {
  const missing = commands.filter((command) => !check(command));
  if (missing.length === 0) return true;
  const message = `missing ${missing.join(', ')}: install them with the README's apt-get line`;
  if (process.env['CI'] === 'true') throw new Error(`${message} (required under CI)`);
  console.warn(`skipping: ${message}`);
  return false;
}
