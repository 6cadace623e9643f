import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import type { Shell } from './completion.js';
import type { CommandContext, Io } from './context.js';
import type { Settings } from './settings.js';

/**
 * The commander wiring, and nothing else: each action loads its command module only when it runs, so
 * `lifeboat --version` loads neither libsodium nor the prompts.
 */

/** The version printed by `--version`. */
export const VERSION = '0.1.0';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number <= 0) {
    throw new InvalidArgumentError('expected a whole number above 0');
  }
  return number;
}

/**
 * A code given on the command line: its words joined by one space, so that `check 5878 4005` (a code typed
 * as Google prints it, unquoted) is one code. No words means "ask for it".
 */
function oneCode(words: readonly string[]): string | undefined {
  return words.length > 0 ? words.join(' ') : undefined;
}

function example(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

/** Builds the program. `setExit` receives the status a command chose (only `check` chooses one). */
export function buildProgram(io: Io, settings: Settings, setExit: (code: number) => void): Command {
  const program = new Command();
  // These three reach subcommands only when set before any .command() (DEPENDENCIES.md, commander).
  program
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`lifeboat: ${text.replace(/^error: /, 'error: ')}`),
    })
    .showHelpAfterError('lifeboat: hint: run with --help for usage');

  program
    .name('lifeboat')
    .description('An encrypted vault for two-factor-authentication backup codes.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--vault <path>', 'the vault file (default: $LIFEBOAT_VAULT, else the data folder)')
    .helpCommand('help [command]', 'show help for a command')
    .addHelpText('after', example('lifeboat init', 'lifeboat add instagram < instagram-codes.txt', 'lifeboat use instagram'));

  // The context (and with it the vault, domain and prompt modules) is loaded only once a command runs.
  const context = async (command: Command): Promise<CommandContext> => {
    const globals = command.optsWithGlobals<{ vault?: string }>();
    const { CommandContext } = await import('./context.js');
    return new CommandContext(io, settings, globals.vault);
  };

  program
    .command('init')
    .description('create a new vault (never overwrites one)')
    .addOption(new Option('--kdf-memory <MiB>', 'key-derivation memory (default 64, at least 19, at most 1024)').argParser(positiveInteger))
    .addOption(new Option('--kdf-passes <n>', 'key-derivation passes (default 3, at least 2, at most 20)').argParser(positiveInteger))
    .addHelpText('after', example('lifeboat init', 'lifeboat init --kdf-memory 256 --kdf-passes 4'))
    .action(async (options, command: Command) => (await import('./commands/init.js')).init(await context(command), options));

  program
    .command('add')
    .description('store a batch of codes for an account (from --file, piped stdin, or typed)')
    .argument('<account>', 'the account, e.g. instagram or github:work')
    .option('--file <path>', "read the codes from this file (the file the service let you download)")
    .option('--image <path>', 'read the codes in a screenshot or photo (PNG, JPEG...) with tesseract OCR')
    .option('--from-clipboard', 'read the codes from the clipboard, and clear it afterwards')
    .option('--username <name>', 'the username or e-mail of this account, printed on the paper sheet')
    .option('-y, --yes', 'store a confident reading without asking, and replace an active batch with unused codes')
    .option('--as-superseded', 'keep codes of an old batch as history')
    .addHelpText(
      'after',
      example(
        'lifeboat add github --file ~/Downloads/github-recovery-codes.txt',
        'lifeboat add instagram < codes.txt',
        'lifeboat add instagram --image ~/Pictures/backup-codes.png',
        'lifeboat add google --from-clipboard',
      ),
    )
    .action(async (account: string, options, command: Command) => (await import('./commands/add.js')).add(await context(command), account, options));

  program
    .command('list')
    .description('each account with the codes left in its active batch')
    .option('--json', 'print JSON')
    .addHelpText('after', example('lifeboat list', 'lifeboat list --json'))
    .action(async (options, command: Command) => (await import('./commands/list.js')).list(await context(command), options));

  program
    .command('status')
    .description('what needs attention: codes running out, sheets to destroy, exports, key cost (exit 1 if anything)')
    .option('--json', 'print JSON')
    .addHelpText('after', example('lifeboat status', 'lifeboat status --json'))
    .action(async (options, command: Command) => setExit(await (await import('./commands/status.js')).status(await context(command), options)));

  program
    .command('show')
    .description('the codes of an account, spent ones marked')
    .argument('<account>', 'the account (a unique prefix is enough)')
    .option('--all', 'also show superseded batches')
    .option('--json', 'print JSON')
    .option('-c, --copy', 'copy the unspent codes, one per line, to the clipboard (cleared after $LIFEBOAT_CLIP_TIME s)')
    .option('--qr', 'draw the unspent codes as a QR code in the terminal, to scan them with a phone')
    .option('--force', 'draw the QR code even when standard output is not a terminal')
    .addHelpText('after', example('lifeboat show insta', 'lifeboat show github --all', 'lifeboat show github --qr'))
    .action(async (account: string, options, command: Command) => (await import('./commands/show.js')).show(await context(command), account, options));

  program
    .command('use')
    .description('print the next unspent code and mark it spent')
    .argument('<account>', 'the account (a unique prefix is enough)')
    .option('-c, --copy', 'copy the code to the clipboard instead of printing it (cleared after $LIFEBOAT_CLIP_TIME s)')
    .option('--qr', 'draw the code as a QR code in the terminal')
    .option('--force', 'draw the QR code even when standard output is not a terminal')
    .option('-y, --yes', 'after a rollback, mark the codes this device saw spent as spent again without asking')
    .addHelpText('after', example('lifeboat use instagram', 'lifeboat use instagram --copy'))
    .action(async (account: string, options, command: Command) => (await import('./commands/use.js')).use(await context(command), account, options));

  program
    .command('spend')
    .description('mark a code you used as spent (omit the code to type it unseen)')
    .argument('<account>', 'the account (a unique prefix is enough)')
    .argument('[code...]', 'the code; better left out, so it is asked for and stays out of shell history')
    .addHelpText('after', example('lifeboat spend instagram', 'echo "1234 5678" | lifeboat spend instagram'))
    .action(async (account: string, code: string[], _options, command: Command) =>
      (await import('./commands/spend.js')).spend(await context(command), account, oneCode(code)),
    );

  program
    .command('unspend')
    .description('undo a spent mark, for a code handed out but never used')
    .argument('<account>', 'the account (a unique prefix is enough)')
    .argument('[code...]', 'the code; better left out, so it is asked for')
    .addHelpText('after', example('lifeboat unspend instagram'))
    .action(async (account: string, code: string[], _options, command: Command) =>
      (await import('./commands/spend.js')).unspend(await context(command), account, oneCode(code)),
    );

  program
    .command('check')
    .description('tell whether a code still works, across all accounts (exit 4 if unknown)')
    .argument('[code...]', 'the code; better left out, so it is asked for')
    .option('--json', 'print JSON')
    .addHelpText('after', example('lifeboat check', 'echo "1234 5678" | lifeboat check --json'))
    .action(async (code: string[], options, command: Command) =>
      setExit(await (await import('./commands/check.js')).check(await context(command), oneCode(code), options)),
    );

  program
    .command('rename')
    .description('rename an account')
    .argument('<old>', 'the account (a unique prefix is enough)')
    .argument('<new>', 'its new name')
    .addHelpText('after', example('lifeboat rename github github:work'))
    .action(async (oldName: string, newName: string, _options, command: Command) =>
      (await import('./commands/rename.js')).rename(await context(command), oldName, newName),
    );

  program
    .command('edit')
    .description("change an account's service, username or note (asks for each on a terminal)")
    .argument('<account>', 'the account (a unique prefix is enough)')
    .option('--service <name>', 'the service, e.g. GitHub (an empty value clears it)')
    .option('--username <name>', 'the username or e-mail printed on the paper sheet (an empty value clears it)')
    .option('--note <text>', 'a short note, e.g. where the account is used (an empty value clears it)')
    .addHelpText('after', example('lifeboat edit github --username ada@example.org', 'lifeboat edit github --note ""', 'lifeboat edit github'))
    .action(async (account: string, options, command: Command) => (await import('./commands/edit.js')).edit(await context(command), account, options));

  program
    .command('remove')
    .description('remove an account and its codes (asks first)')
    .argument('<account>', 'the exact account name')
    .option('-y, --yes', 'do not ask')
    .addHelpText('after', example('lifeboat remove old-forum', 'lifeboat remove old-forum --yes'))
    .action(async (account: string, options, command: Command) => (await import('./commands/remove.js')).remove(await context(command), account, options));

  program
    .command('passwd')
    .description('change the passphrase (and optionally raise the key-derivation cost)')
    .addOption(new Option('--kdf-memory <MiB>', 'key-derivation memory, at least the current').argParser(positiveInteger))
    .addOption(new Option('--kdf-passes <n>', 'key-derivation passes, at least the current').argParser(positiveInteger))
    .addHelpText('after', example('lifeboat passwd', 'LIFEBOAT_NEW_PASSPHRASE_FILE=new.txt lifeboat passwd'))
    .action(async (options, command: Command) => (await import('./commands/passwd.js')).passwd(await context(command), options));

  program
    .command('print')
    .description('print a paper sheet of each account\'s codes (default: every account)')
    .argument('[account...]', 'the accounts (unique prefixes are enough)')
    .addOption(new Option('--format <format>', 'text (80 columns, for lp) or html (one page per account)').choices(['text', 'html']).default('text'))
    .option('--out <file>', 'write the sheet to a new file (mode 600) instead of standard output')
    .option('--force', 'overwrite the --out file if it exists')
    .option('--printer', 'send the text sheet to the default printer with lp')
    .option('--printer-name <name>', 'send the text sheet to this printer with lp -d')
    .option('--all', 'also print superseded batches, under a SUPERSEDED banner')
    .addHelpText('after', example('lifeboat print github --printer', 'lifeboat print --format html --out codes.html'))
    .action(async (accounts: string[], options, command: Command) => (await import('./commands/print.js')).print(await context(command), accounts, options));

  program
    .command('export')
    .description('write an encrypted backup copy, or print everything in plain text')
    .option('--out <file>', 'the file to write (mode 600; an encrypted copy unless --plaintext)')
    .option('--plaintext', 'export without encryption (JSON or CSV): every code readable')
    .addOption(new Option('--format <format>', 'the plain-text format (default: json)').choices(['json', 'csv']))
    .option('--force', 'overwrite the --out file if it exists')
    .addHelpText('after', example('lifeboat export --out ~/usb/lifeboat-backup.lifeboat', 'lifeboat export --plaintext --format csv > codes.csv'))
    .action(async (options, command: Command) => (await import('./commands/export.js')).exportVault(await context(command), options));

  program
    .command('import')
    .description('merge an encrypted export or a JSON export into the vault')
    .argument('<file>', 'a file written by lifeboat export')
    .option('-y, --yes', "do not ask: accept the export's changes to existing accounts' details, and a key-derivation cost above the default")
    .option('--restore-removed', 'bring back accounts removed from this vault that the file still holds (asked on a terminal)')
    .addHelpText('after', example('lifeboat import ~/usb/lifeboat-backup.lifeboat', 'lifeboat import codes.json'))
    .action(async (file: string, options, command: Command) => (await import('./commands/import.js')).importFile(await context(command), file, options));

  program
    .command('merge')
    .description('merge another copy of the vault into this one (from another device, a sync tool or a backup)')
    .argument('[other]', 'the other copy of the vault')
    .option('--conflicts', 'merge every conflict copy a sync tool left beside the vault')
    .option('--dry-run', 'say what would come in, and write nothing')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', example('lifeboat merge ~/usb/vault.lifeboat', 'lifeboat merge --conflicts', 'lifeboat merge other.lifeboat --dry-run'))
    .action(async (other: string | undefined, options, command: Command) => (await import('./commands/merge.js')).merge(await context(command), other, options));

  program
    .command('git-setup')
    .description('let git merge the vault when two clones changed it (run inside the repository)')
    .addHelpText('after', example('lifeboat --vault ~/sync-repo/vault.lifeboat git-setup'))
    .action(async (_options, command: Command) => (await import('./commands/git.js')).gitSetup(await context(command)));

  // The merge driver git runs (see git-setup); not for people to type.
  program
    .command('git-merge-driver', { hidden: true })
    .argument('<ancestor>')
    .argument('<current>')
    .argument('<other>')
    .argument('[pathname]')
    .action(async (ancestor: string, current: string, other: string, pathname: string | undefined, _options, command: Command) =>
      (await import('./commands/git.js')).gitMergeDriver(await context(command), ancestor, current, other, pathname),
    );

  program
    .command('restore-backup')
    .description('replace a damaged vault with its backup copy')
    .option('-y, --yes', 'do not ask')
    .addHelpText('after', example('lifeboat restore-backup'))
    .action(async (options, command: Command) => (await import('./commands/restore-backup.js')).restoreBackup(await context(command), options));

  program
    .command('unlock')
    .description('keep the vault unlocked for a while, so commands do not ask for the passphrase')
    .option('--for <duration>', 'end the session after this long, used or not (e.g. 30m, 2h; at most 8h); default: 15 minutes after its last use')
    .addHelpText('after', example('lifeboat unlock', 'lifeboat unlock --for 2h'))
    .action(async (options, command: Command) => (await import('./commands/unlock.js')).unlock(await context(command), options));

  program
    .command('lock')
    .description('end the unlock session now: its key is forgotten')
    .addHelpText('after', example('lifeboat lock'))
    .action(async (_options, command: Command) => (await import('./commands/unlock.js')).lock(await context(command)));

  program
    .command('completion')
    .description('print a shell completion script (see the README, "Shell completion")')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText('after', example('lifeboat completion bash > ~/.local/share/bash-completion/completions/lifeboat'))
    .action(async (shell: Shell, _options, command: Command) =>
      (await import('./commands/completion.js')).completion(io, command.parent ?? program, shell),
    );

  // What the completion scripts run on TAB: hidden, and it never opens the vault (commands/complete.ts).
  program
    .command('__complete', { hidden: true })
    .argument('<what>')
    .allowExcessArguments()
    .action(async (what: string, _options, command: Command) =>
      (await import('./commands/complete.js')).complete(io, what, command.optsWithGlobals<{ vault?: string }>().vault),
    );

  return program;
}
