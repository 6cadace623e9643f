import type { EventEmitter } from 'node:events';
import type { Argument, Command, Help, Option } from 'commander';

/**
 * The program's commands, options and arguments read from commander's own tree, with the same filters
 * and wording `--help` uses (commander's `Help`: hidden commands and options left out, choices and
 * defaults appended to descriptions). The completion scripts and the man page are both drawn from it,
 * so a command added to program.ts appears in them with no further work, and they never disagree
 * with `--help`.
 */

/** What the value of an option or an argument is, for completion. */
export type ValueKind =
  | { readonly kind: 'none' }
  | { readonly kind: 'text' }
  | { readonly kind: 'file' }
  | { readonly kind: 'account' }
  | { readonly kind: 'command' }
  | { readonly kind: 'choice'; readonly choices: readonly string[] };

/** One option as `--help` shows it. */
export interface OptionNode {
  /** The flags as written, e.g. `-c, --copy` or `--out <file>`. */
  readonly flags: string;
  readonly long: string | undefined;
  readonly short: string | undefined;
  /** The description with commander's `(choices: …)` and `(default: …)` appended. */
  readonly description: string;
  /** What the option's value is; `none` for a switch. */
  readonly value: ValueKind;
}

/** One positional argument. */
export interface ArgumentNode {
  readonly name: string;
  /** The argument as `--help` writes it in usage lines, e.g. `<account>` or `[account...]`. */
  readonly term: string;
  readonly required: boolean;
  readonly variadic: boolean;
  readonly description: string;
  readonly value: ValueKind;
}

/** One visible command, or the program itself. */
export interface CommandNode {
  readonly name: string;
  /** The usage line `--help` prints after `Usage: `. */
  readonly usage: string;
  readonly description: string;
  readonly options: readonly OptionNode[];
  readonly arguments: readonly ArgumentNode[];
  /** The text `addHelpText('after', …)` adds to `--help` (the examples), as printed. */
  readonly after: string;
  readonly commands: readonly CommandNode[];
}

// Options whose value is a path, by name, whatever their placeholder says.
const FILE_OPTIONS = new Set(['--file', '--out', '--vault', '--image']);
const FILE_PLACEHOLDER = /^(path|file|dir|directory|folder)$/i;
const FILE_ARGUMENTS = new Set(['file', 'path', 'image', 'dir']);

function optionValue(option: Option): ValueKind {
  if (!option.required && !option.optional) return { kind: 'none' };
  if (option.argChoices) return { kind: 'choice', choices: option.argChoices };
  const placeholder = /[<[]([^>\]]*)[>\]]/.exec(option.flags)?.[1] ?? '';
  if ((option.long && FILE_OPTIONS.has(option.long)) || FILE_PLACEHOLDER.test(placeholder)) return { kind: 'file' };
  return { kind: 'text' };
}

function argumentValue(argument: Argument): ValueKind {
  const name = argument.name();
  if (argument.argChoices) return { kind: 'choice', choices: argument.argChoices };
  // An account is named so, or described as "the account…" (rename's <old>).
  if (/^accounts?$/.test(name) || /^the accounts?\b/.test(argument.description)) return { kind: 'account' };
  if (FILE_ARGUMENTS.has(name)) return { kind: 'file' };
  if (name === 'command') return { kind: 'command' };
  return { kind: 'text' };
}

function argumentTerm(argument: Argument): string {
  const name = `${argument.name()}${argument.variadic ? '...' : ''}`;
  return argument.required ? `<${name}>` : `[${name}]`;
}

/** The text a command's `addHelpText('after', …)` listeners write, captured the way `outputHelp` asks for it. */
function afterText(command: Command): string {
  let text = '';
  (command as unknown as EventEmitter).emit('afterHelp', { error: false, command, write: (chunk: string) => (text += chunk) });
  return text;
}

function describe(command: Command, help: Help): CommandNode {
  return {
    name: command.name(),
    usage: help.commandUsage(command),
    description: help.commandDescription(command),
    options: help.visibleOptions(command).map((option) => ({
      flags: help.optionTerm(option),
      long: option.long,
      short: option.short,
      description: help.optionDescription(option),
      value: optionValue(option),
    })),
    arguments: command.registeredArguments.map((argument) => ({
      name: argument.name(),
      term: argumentTerm(argument),
      required: argument.required,
      variadic: argument.variadic,
      description: help.argumentDescription(argument),
      value: argumentValue(argument),
    })),
    after: afterText(command),
    commands: help.visibleCommands(command).map((sub) => describe(sub, help)),
  };
}

/** Reads the program's visible commands, options and arguments (hidden ones, such as `__complete`, are left out). */
export function describeProgram(program: Command): CommandNode {
  return describe(program, program.createHelp());
}

/**
 * The options a command accepts besides its own: the program's, which commander also takes after a
 * command name (`lifeboat add x --vault v`), minus the ones the command itself defines (its `--help`).
 */
export function globalOptions(program: CommandNode, command: CommandNode): OptionNode[] {
  const own = new Set(command.options.flatMap((option) => [option.long, option.short]).filter(Boolean));
  return program.options.filter((option) => !own.has(option.long) && !own.has(option.short));
}
