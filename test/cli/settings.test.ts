// Unit tests of readSettings: which passphrase source wins, that the passphrase variables leave the
// environment object, the number variables, colour, and what a helper process may inherit.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { readSettings, TEST_KDF_VARIABLE, type PassphraseSource } from '../../src/cli/settings.js';

const PASSPHRASE_VARIABLES = [
  'LIFEBOAT_PASSPHRASE',
  'LIFEBOAT_PASSPHRASE_FILE',
  'LIFEBOAT_PASSPHRASE_COMMAND',
  'LIFEBOAT_NEW_PASSPHRASE',
  'LIFEBOAT_NEW_PASSPHRASE_FILE',
  'LIFEBOAT_NEW_PASSPHRASE_COMMAND',
];

function read(env: NodeJS.ProcessEnv, stderrIsTty = false) {
  return readSettings(env, stderrIsTty);
}

function usageErrorFrom(f: () => unknown): UsageError {
  let caught: unknown;
  try {
    f();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UsageError);
  return caught as UsageError;
}

describe('passphrase sources', () => {
  it.each([
    ['LIFEBOAT_PASSPHRASE', 'correct horse', { kind: 'value', variable: 'LIFEBOAT_PASSPHRASE', value: 'correct horse' }],
    ['LIFEBOAT_PASSPHRASE_FILE', '/run/secrets/pp', { kind: 'file', variable: 'LIFEBOAT_PASSPHRASE_FILE', path: '/run/secrets/pp' }],
    ['LIFEBOAT_PASSPHRASE_COMMAND', 'pass show lifeboat', { kind: 'command', variable: 'LIFEBOAT_PASSPHRASE_COMMAND', command: 'pass show lifeboat' }],
  ] as const)('takes the passphrase from %s when it is the only one set', (name, value, expected) => {
    const settings = read({ [name]: value });
    expect(settings.passphrase).toEqual(expected satisfies PassphraseSource);
    expect(settings.newPassphrase).toBeUndefined();
  });

  it.each([
    ['LIFEBOAT_NEW_PASSPHRASE', { kind: 'value', variable: 'LIFEBOAT_NEW_PASSPHRASE', value: 'battery staple' }],
    ['LIFEBOAT_NEW_PASSPHRASE_FILE', { kind: 'file', variable: 'LIFEBOAT_NEW_PASSPHRASE_FILE', path: 'battery staple' }],
    ['LIFEBOAT_NEW_PASSPHRASE_COMMAND', { kind: 'command', variable: 'LIFEBOAT_NEW_PASSPHRASE_COMMAND', command: 'battery staple' }],
  ] as const)('takes the new passphrase from %s, apart from the old one', (name, expected) => {
    const settings = read({ LIFEBOAT_PASSPHRASE: 'old one', [name]: 'battery staple' });
    expect(settings.newPassphrase).toEqual(expected);
    expect(settings.passphrase).toEqual({ kind: 'value', variable: 'LIFEBOAT_PASSPHRASE', value: 'old one' });
  });

  it.each([
    ['LIFEBOAT_OTHER_PASSPHRASE', { kind: 'value', variable: 'LIFEBOAT_OTHER_PASSPHRASE', value: 'other device' }],
    ['LIFEBOAT_OTHER_PASSPHRASE_FILE', { kind: 'file', variable: 'LIFEBOAT_OTHER_PASSPHRASE_FILE', path: 'other device' }],
    ['LIFEBOAT_OTHER_PASSPHRASE_COMMAND', { kind: 'command', variable: 'LIFEBOAT_OTHER_PASSPHRASE_COMMAND', command: 'other device' }],
  ] as const)('takes the other copy\'s passphrase from %s (issue 8) and removes it from the environment', (name, expected) => {
    const env: NodeJS.ProcessEnv = { LIFEBOAT_PASSPHRASE: 'this one', [name]: 'other device' };
    const settings = readSettings(env, false);
    expect(settings.otherPassphrase).toEqual(expected);
    expect(settings.passphrase).toEqual({ kind: 'value', variable: 'LIFEBOAT_PASSPHRASE', value: 'this one' });
    expect(env[name]).toBeUndefined();
  });

  it('has no source when none is set, or the one set is empty', () => {
    expect(read({}).passphrase).toBeUndefined();
    expect(read({ LIFEBOAT_PASSPHRASE: '' }).passphrase).toBeUndefined();
    expect(read({ LIFEBOAT_PASSPHRASE: '', LIFEBOAT_PASSPHRASE_FILE: '/p' }).passphrase).toEqual({
      kind: 'file',
      variable: 'LIFEBOAT_PASSPHRASE_FILE',
      path: '/p',
    });
  });

  it.each([
    [['LIFEBOAT_PASSPHRASE', 'LIFEBOAT_PASSPHRASE_FILE']],
    [['LIFEBOAT_PASSPHRASE', 'LIFEBOAT_PASSPHRASE_COMMAND']],
    [['LIFEBOAT_PASSPHRASE_FILE', 'LIFEBOAT_PASSPHRASE_COMMAND']],
    [['LIFEBOAT_PASSPHRASE', 'LIFEBOAT_PASSPHRASE_FILE', 'LIFEBOAT_PASSPHRASE_COMMAND']],
  ])('holds a usage error, naming the variables but no value, when %j are set', (names) => {
    const env = Object.fromEntries(names.map((name, i) => [name, `secret-value-${i}`]));
    const settings = read(env);
    expect(settings.passphrase).toBeInstanceOf(UsageError);
    const error = settings.passphrase as UsageError;
    for (const name of names) expect(error.message).toContain(name);
    expect(error.hint).toBeTruthy();
    for (const text of [error.message, error.hint ?? '']) expect(text).not.toContain('secret-value');
    for (const name of names) expect(env[name]).toBeUndefined();
  });

  it('holds the error for the new passphrase apart from the old one', () => {
    const settings = read({ LIFEBOAT_PASSPHRASE: 'a', LIFEBOAT_NEW_PASSPHRASE: 'b', LIFEBOAT_NEW_PASSPHRASE_FILE: '/c' });
    expect(settings.passphrase).toEqual({ kind: 'value', variable: 'LIFEBOAT_PASSPHRASE', value: 'a' });
    expect(settings.newPassphrase).toBeInstanceOf(UsageError);
    expect((settings.newPassphrase as UsageError).message).toContain('LIFEBOAT_NEW_PASSPHRASE_FILE');
  });

  it('deletes every passphrase variable from the environment object it is given, and nothing else', () => {
    const env: NodeJS.ProcessEnv = { HOME: '/home/me', LIFEBOAT_VAULT: '/v' };
    for (const name of PASSPHRASE_VARIABLES) env[name] = `value of ${name}`;
    read(env);
    for (const name of PASSPHRASE_VARIABLES) expect(name in env).toBe(false);
    expect(env).toEqual({ HOME: '/home/me', LIFEBOAT_VAULT: '/v' });
  });

  it('deletes the passphrase variables even when it then refuses a bad number', () => {
    const env: NodeJS.ProcessEnv = { LIFEBOAT_PASSPHRASE: 'pp', LIFEBOAT_NEW_PASSPHRASE_COMMAND: 'cmd', LIFEBOAT_CLIP_TIME: 'soon' };
    usageErrorFrom(() => read(env));
    expect(env).toEqual({ LIFEBOAT_CLIP_TIME: 'soon' });
  });

  it('deletes empty passphrase variables too', () => {
    const env: NodeJS.ProcessEnv = { LIFEBOAT_PASSPHRASE: '', LIFEBOAT_NEW_PASSPHRASE_FILE: '' };
    read(env);
    expect(env).toEqual({});
  });
});

describe('LIFEBOAT_LOCK_TIMEOUT and LIFEBOAT_CLIP_TIME', () => {
  it('default to 10 seconds (in ms) and 30 seconds, also when empty or blank', () => {
    for (const env of [{}, { LIFEBOAT_LOCK_TIMEOUT: '', LIFEBOAT_CLIP_TIME: '' }, { LIFEBOAT_LOCK_TIMEOUT: '  ', LIFEBOAT_CLIP_TIME: ' ' }]) {
      const settings = read(env);
      expect(settings.lockTimeoutMs).toBe(10_000);
      expect(settings.clipSeconds).toBe(30);
    }
  });

  it.each([
    ['5', 5_000, 5],
    ['0', 0, 0],
    ['2.5', 2_500, 2.5],
    [' 45 ', 45_000, 45],
  ])('read %j as seconds', (raw, lockMs, clip) => {
    const settings = read({ LIFEBOAT_LOCK_TIMEOUT: raw, LIFEBOAT_CLIP_TIME: raw });
    expect(settings.lockTimeoutMs).toBe(lockMs);
    expect(settings.clipSeconds).toBe(clip);
  });

  it.each(['LIFEBOAT_LOCK_TIMEOUT', 'LIFEBOAT_CLIP_TIME'])('%s refuses what is not a number of seconds, naming the variable and the value', (name) => {
    for (const raw of ['soon', '-1', 'Infinity', 'NaN', '10s', '1,5']) {
      const error = usageErrorFrom(() => read({ [name]: raw }));
      expect(error.message).toContain(name);
      expect(error.message).toContain(`"${raw}"`);
      expect(error.hint).toContain(name);
    }
  });
});

describe('other variables', () => {
  it('takes the vault path, ignoring an empty one', () => {
    expect(read({ LIFEBOAT_VAULT: '/data/codes.lifeboat' }).vault).toBe('/data/codes.lifeboat');
    expect(read({ LIFEBOAT_VAULT: '' }).vault).toBeUndefined();
    expect(read({}).vault).toBeUndefined();
  });

  it('turns debug on only for LIFEBOAT_DEBUG=1', () => {
    expect(read({ LIFEBOAT_DEBUG: '1' }).debug).toBe(true);
    for (const value of [undefined, '', '0', 'true', 'yes']) expect(read({ LIFEBOAT_DEBUG: value }).debug).toBe(false);
  });

  it('turns the test-only cheap key derivation on only for exactly 1', () => {
    expect(TEST_KDF_VARIABLE).toBe('LIFEBOAT_INSECURE_TEST_KDF');
    expect(read({ [TEST_KDF_VARIABLE]: '1' }).insecureTestKdf).toBe(true);
    for (const value of [undefined, '', '0', 'true']) expect(read({ [TEST_KDF_VARIABLE]: value }).insecureTestKdf).toBe(false);
  });

  it('takes the runtime directory from XDG_RUNTIME_DIR', () => {
    expect(read({ XDG_RUNTIME_DIR: '/run/user/1000' }).runtimeDir).toBe('/run/user/1000');
    expect(read({ XDG_RUNTIME_DIR: '' }).runtimeDir).toBeUndefined();
  });

  // Issue 11, finding 4: private state lives in a folder of its own, never relative to the current folder.
  it('puts private state under an absolute XDG_STATE_HOME, else an absolute HOME, else nowhere', () => {
    expect(read({ XDG_STATE_HOME: '/s', HOME: '/h' }).stateBase).toBe('/s/lifeboat');
    expect(read({ XDG_STATE_HOME: 'relative', HOME: '/h' }).stateBase).toBe('/h/.local/state/lifeboat');
    expect(read({ XDG_STATE_HOME: '', HOME: '/h' }).stateBase).toBe('/h/.local/state/lifeboat');
    for (const env of [{}, { HOME: '' }, { HOME: 'h' }, { HOME: 'h', XDG_STATE_HOME: 's' }]) {
      const base = read(env).stateBase;
      expect(base).toBeInstanceOf(UsageError);
      expect((base as UsageError).message).toBe('no folder for private state: neither XDG_STATE_HOME nor HOME is an absolute path');
    }
  });
});

describe('colour', () => {
  it('is on only when stderr is a terminal', () => {
    expect(read({}, true).color).toBe(true);
    expect(read({}, false).color).toBe(false);
  });

  it('is off with NO_COLOR set to anything non-empty, and on with NO_COLOR empty (no-color.org)', () => {
    expect(read({ NO_COLOR: '1' }, true).color).toBe(false);
    expect(read({ NO_COLOR: '0' }, true).color).toBe(false);
    expect(read({ NO_COLOR: '' }, true).color).toBe(true);
  });

  it('is off for TERM=dumb', () => {
    expect(read({ TERM: 'dumb' }, true).color).toBe(false);
    expect(read({ TERM: 'xterm-256color' }, true).color).toBe(true);
  });
});

describe('child environment', () => {
  it('holds only PATH, DISPLAY, WAYLAND_DISPLAY and XDG_RUNTIME_DIR, never a passphrase', () => {
    const env: NodeJS.ProcessEnv = {
      PATH: '/usr/bin:/bin',
      DISPLAY: ':0',
      WAYLAND_DISPLAY: 'wayland-0',
      XDG_RUNTIME_DIR: '/run/user/1000',
      HOME: '/home/me',
      LIFEBOAT_VAULT: '/v',
      LIFEBOAT_DEBUG: '1',
      SSH_AUTH_SOCK: '/tmp/agent',
      NODE_OPTIONS: '--require /tmp/x.js',
      LD_PRELOAD: '/tmp/evil.so',
    };
    for (const name of PASSPHRASE_VARIABLES) env[name] = `secret of ${name}`;
    const settings = read(env);
    expect(settings.childEnvironment).toEqual({
      PATH: '/usr/bin:/bin',
      DISPLAY: ':0',
      WAYLAND_DISPLAY: 'wayland-0',
      XDG_RUNTIME_DIR: '/run/user/1000',
    });
  });

  it('leaves out the allowed variables that are unset or empty', () => {
    expect(read({ PATH: '/bin', DISPLAY: '' }).childEnvironment).toEqual({ PATH: '/bin' });
    expect(read({}).childEnvironment).toEqual({});
  });
});
