// End-to-end: `lifeboat completion bash|zsh|fish` and the hidden `__complete` it calls on TAB (issue 9,
// "New commands" and "Proof": the bash script run in a real bash, zsh and fish scripts parsed by their shells).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runBin, sandbox } from '../support/cli.js';
import { requireTools } from '../support/tools.js';

const env = { PATH: `${path.dirname(process.execPath)}:${process.env['PATH'] ?? '/usr/bin:/bin'}` };
let dir: string;
let stubBin: string;
let realBin: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const run = runBin(['completion', shell], env);
    expect(run.status, run.stderr).toBe(0);
    fs.writeFileSync(path.join(dir, `script.${shell}`), run.stdout);
  }
  // A stand-in `lifeboat` that answers `__complete accounts` as an unlocked session would, and records
  // how it was called: the wiring from TAB to lifeboat is what the scripts own.
  stubBin = path.join(dir, 'stub');
  fs.mkdirSync(stubBin);
  fs.writeFileSync(
    path.join(stubBin, 'lifeboat'),
    `#!/bin/sh\necho "$*" >> '${dir}/calls'\nprintf 'github:work\\ngithub:home\\ninstagram\\n'\n`,
    { mode: 0o755 },
  );
  // The real binary under its installed name.
  realBin = path.join(dir, 'real');
  fs.mkdirSync(realBin);
  fs.symlinkSync(BIN, path.join(realBin, 'lifeboat'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function commandsInHelp(): string[] {
  const help = runBin(['--help'], env).stdout;
  const section = help.split('Commands:\n')[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((match) => match[1] ?? '');
}

/** Completes `line` (the cursor at its end) in a real bash with the generated script, as readline would. */
function bashComplete(line: string, binDir = stubBin): string[] {
  const script = `source '${dir}/script.bash'
COMP_LINE=$1; COMP_POINT=\${#1}; read -ra COMP_WORDS <<< "$1"; COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
[[ $1 =~ [[:space:]]$ ]] && COMP_CWORD=\${#COMP_WORDS[@]}
COMPREPLY=()
"$(complete -p lifeboat | sed -E 's/.*-F ([^ ]+) .*/\\1/')" lifeboat "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const run = spawnSync('bash', ['--norc', '--noprofile', '-c', script, 'bash', line], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...env, PATH: `${binDir}:${env.PATH}` },
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.split('\n').filter((word) => word !== '');
}

describe('bash: the generated script in a real bash', () => {
  it('registers a completion function for lifeboat', () => {
    const run = spawnSync('bash', ['--norc', '--noprofile', '-c', `source '${dir}/script.bash'; complete -p lifeboat`], { encoding: 'utf8' });
    expect(run.stdout).toBe('complete -F _lifeboat lifeboat\n');
  });

  it('offers every command --help lists, and no hidden one', () => {
    const commands = commandsInHelp();
    expect(commands).toContain('completion');
    expect(bashComplete('lifeboat ')).toEqual(commands);
    expect(bashComplete('lifeboat re')).toEqual(commands.filter((name) => name.startsWith('re')));
    expect(bashComplete('lifeboat __')).toEqual([]);
  });

  it("offers a command's own options and the global ones", () => {
    const words = bashComplete('lifeboat add --');
    expect(words).toEqual(expect.arrayContaining(['--file', '--from-clipboard', '--username', '--yes', '--help', '--vault']));
    expect(bashComplete('lifeboat --v')).toEqual(['--version', '--vault']);
  });

  it('offers choices and file names for option values and file arguments', () => {
    fs.writeFileSync(path.join(dir, 'codes.txt'), '');
    expect(bashComplete('lifeboat print --format ')).toEqual(['text', 'html']);
    expect(bashComplete('lifeboat print --format=h')).toEqual(['html']);
    expect(bashComplete('lifeboat completion ')).toEqual(['bash', 'zsh', 'fish']);
    expect(bashComplete('lifeboat add x --file cod')).toEqual(['codes.txt']);
    expect(bashComplete('lifeboat --vault scr').sort()).toEqual(['script.bash', 'script.fish', 'script.zsh']);
    expect(bashComplete('lifeboat import cod')).toEqual(['codes.txt']);
    expect(bashComplete('lifeboat export --out cod')).toEqual(['codes.txt']);
  });

  it('asks `lifeboat __complete accounts` for account names, passing --vault, only where an account goes', () => {
    fs.rmSync(path.join(dir, 'calls'), { force: true });
    expect(bashComplete('lifeboat use ')).toEqual(['github:work', 'github:home', 'instagram']);
    expect(bashComplete('lifeboat --vault v.lifeboat show gi')).toEqual(['github:work', 'github:home']);
    // bash replaces only what follows the last ':' (COMP_WORDBREAKS), so that is what is offered.
    expect(bashComplete('lifeboat use github:w')).toEqual(['work']);
    expect(bashComplete('lifeboat print a b ')).toHaveLength(3);
    expect(bashComplete('lifeboat rename github ')).toEqual([]);
    expect(bashComplete('lifeboat spend github ')).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'calls'), 'utf8').split('\n').filter(Boolean)).toEqual([
      '__complete accounts',
      '--vault v.lifeboat __complete accounts',
      '__complete accounts',
      '__complete accounts',
    ]);
  });

  it('with the real lifeboat and no unlocked session, offers no account names and says nothing', () => {
    expect(bashComplete('lifeboat use ', realBin)).toEqual([]);
  });
});

it('an unknown or missing shell is bad usage, exit 2 with the choices', () => {
  const run = runBin(['completion', 'tcsh'], env);
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('Allowed choices are bash, zsh, fish');
  expect(runBin(['completion'], env).status).toBe(2);
});

describe('__complete: what TAB runs', () => {
  it('prints nothing and succeeds, never prompting, even with a vault and no passphrase', () => {
    const box = sandbox();
    try {
      expect(box.run(['init']).status).toBe(0);
      const before = fs.readFileSync(box.vault);
      // stdin stays an open pipe that never ends: a read or a prompt would hang until the time-out.
      const run = spawnSync(process.execPath, [BIN, '__complete', 'accounts'], {
        encoding: 'utf8',
        env: { ...env, LIFEBOAT_VAULT: box.vault },
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: 10_000,
      });
      expect(run.error).toBeUndefined();
      expect(run.status).toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe('');
      expect(fs.readFileSync(box.vault)).toEqual(before);
    } finally {
      box.cleanup();
    }
  });

  it('loads neither libsodium nor the prompts, nor does `completion`', () => {
    // A module hook (node:module register) that logs every module Node loads.
    const hook = path.join(dir, 'trace.mjs');
    fs.writeFileSync(
      path.join(dir, 'trace-hooks.mjs'),
      `import fs from 'node:fs';\nexport async function load(url, context, next) {\n  fs.appendFileSync(${JSON.stringify(path.join(dir, 'loaded'))}, url + '\\n');\n  return next(url, context);\n}\n`,
    );
    fs.writeFileSync(hook, `import { register } from 'node:module';\nregister('./trace-hooks.mjs', import.meta.url);\n`);
    for (const args of [['__complete', 'accounts'], ['completion', 'bash']]) {
      fs.rmSync(path.join(dir, 'loaded'), { force: true });
      const run = spawnSync(process.execPath, ['--import', hook, BIN, ...args], { encoding: 'utf8', env, input: '' });
      expect(run.status, run.stderr).toBe(0);
      const loaded = fs.readFileSync(path.join(dir, 'loaded'), 'utf8');
      expect(loaded).toContain('/dist/cli/main.js');
      expect(loaded).not.toMatch(/libsodium|@inquirer|\/dist\/vault\//);
    }
    // The control: a command that opens a vault does load libsodium, and the hook sees it.
    fs.rmSync(path.join(dir, 'loaded'), { force: true });
    const vault = path.join(dir, 'control.lifeboat');
    const run = spawnSync(process.execPath, ['--import', hook, BIN, 'init'], {
      encoding: 'utf8',
      env: { ...env, LIFEBOAT_VAULT: vault, LIFEBOAT_PASSPHRASE: 'a passphrase for the control', LIFEBOAT_INSECURE_TEST_KDF: '1' },
      input: '',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'loaded'), 'utf8')).toMatch(/libsodium/);
  });

  it('is hidden from --help, yet the scripts call it', () => {
    expect(runBin(['--help'], env).stdout).not.toContain('__complete');
    expect(fs.readFileSync(path.join(dir, 'script.bash'), 'utf8')).toContain('__complete accounts');
  });
});

describe.runIf(requireTools(['zsh']))('zsh', () => {
  it('parses the script, and registers it with compinit', () => {
    expect(spawnSync('zsh', ['-n', `${dir}/script.zsh`], { encoding: 'utf8' }).status).toBe(0);
    const run = spawnSync(
      'zsh',
      ['-f', '-c', `autoload -U compinit && compinit -u -D && source '${dir}/script.zsh' && print -r -- $_comps[lifeboat]`],
      { encoding: 'utf8', env: { ...env, HOME: dir } },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('_lifeboat\n');
  });
});

describe.runIf(requireTools(['zsh', 'tmux']))('zsh: TAB pressed in a real interactive zsh (tmux)', () => {
  const socket = `lifeboat-completion-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = (): string => tmux('capture-pane', '-p', '-t', 'z');
  async function waitFor(pattern: RegExp): Promise<string> {
    for (let i = 0; i < 200; i += 1) {
      const text = screen();
      if (pattern.test(text)) return text;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${pattern} in:\n${screen()}`);
  }
  async function tab(line: string, expected: RegExp): Promise<void> {
    tmux('send-keys', '-t', 'z', 'C-u');
    tmux('send-keys', '-t', 'z', '-l', line);
    tmux('send-keys', '-t', 'z', 'Tab');
    await waitFor(expected);
  }
  afterAll(() => spawnSync('tmux', ['-L', socket, 'kill-server']));

  it('completes commands, options, choices and account names (with the --vault typed)', async () => {
    fs.rmSync(path.join(dir, 'calls'), { force: true });
    const shellEnv = `env -i HOME='${dir}' TERM=xterm PATH='${stubBin}:/usr/bin:/bin'`;
    tmux('new-session', '-d', '-s', 'z', '-x', '160', '-y', '30', `${shellEnv} zsh -f`);
    tmux('send-keys', '-t', 'z', '-l', `autoload -U compinit && compinit -u && source '${dir}/script.zsh' && PS1='> ' && echo READY`);
    tmux('send-keys', '-t', 'z', 'Enter');
    await waitFor(/^READY$/m);
    // capture-pane drops trailing blanks, so the space after a completed word does not show.
    await tab('lifeboat pri', /^> lifeboat print$/m);
    await tab('lifeboat print --for', /--format\s+-- text \(80 columns/);
    await tab('lifeboat completion ', /bash\s+fish\s+zsh/);
    await tab('lifeboat use ', /github:home\s+github:work\s+instagram/);
    await tab('lifeboat --vault v.lifeboat show gi', /^> lifeboat --vault v.lifeboat show github:$/m);
    await tab('lifeboat show --vault w.lifeboat insta', /^> lifeboat show --vault w.lifeboat instagram$/m);
    // zsh may ask more than once for one TAB; what matters is what it asked.
    expect([...new Set(fs.readFileSync(path.join(dir, 'calls'), 'utf8').split('\n').filter(Boolean))]).toEqual([
      '__complete accounts',
      '--vault v.lifeboat __complete accounts',
      '--vault w.lifeboat __complete accounts',
    ]);
  }, 60_000);
});

describe.runIf(requireTools(['fish']))('fish', () => {
  it('parses the script', () => {
    const run = spawnSync('fish', ['--no-execute', `${dir}/script.fish`], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('completes commands, choices and account names in a real fish', () => {
    const complete = (line: string): string[] => {
      const run = spawnSync('fish', ['--no-config', '-c', `source '${dir}/script.fish'; complete -C '${line}'`], {
        encoding: 'utf8',
        cwd: dir,
        env: { ...env, PATH: `${stubBin}:${env.PATH}`, HOME: dir },
      });
      expect(run.stderr).toBe('');
      return run.stdout.split('\n').filter(Boolean).map((entry) => entry.split('\t')[0] ?? '');
    };
    expect(complete('lifeboat pri')).toEqual(['print']);
    expect(complete('lifeboat print --format ')).toEqual(['html', 'text']);
    expect(complete('lifeboat use ')).toEqual(['github:home', 'github:work', 'instagram']);
    expect(complete('lifeboat spend github ')).toEqual([]);
  });
});

it('the scripts are written from the command tree: a new command in program.ts needs no edit here', () => {
  const source = fs.readFileSync(path.join(ROOT, 'src', 'cli', 'completion.ts'), 'utf8');
  for (const command of commandsInHelp().filter((name) => name !== 'completion')) {
    expect(source).not.toContain(`'${command}'`);
  }
});
