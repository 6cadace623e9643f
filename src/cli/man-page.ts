import type { CommandNode, OptionNode } from './command-tree.js';
import { EXIT } from './exit-codes.js';

/**
 * The man page, lifeboat(1), written in roff with the man macros (groff_man(7)) from the same command
 * tree as `--help`, so the two never disagree. The build writes it to man/lifeboat.1 (write-man-page.ts)
 * and package.json's "man" installs it with the package.
 */

/** What the page needs besides the commands. */
export interface ManPageFacts {
  readonly version: string;
  /** The date in the page's title line, YYYY-MM-DD. */
  readonly date: string;
}

/**
 * Escapes text for roff: backslashes, hyphens (`\-`, so flags stay copyable and search as typed) and
 * a leading dot or quote, which would make a line a request (groff(7), "Escape sequences").
 */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

/** Flags bold, placeholders italic: `--out <file>` → `\fB\-\-out\fR \fI<file>\fR`. */
function term(flags: string): string {
  return flags
    .split(/(\s+|,\s*)/)
    .map((part) => {
      if (part.trim() === '' || part.trim() === ',') return roff(part);
      return /^[<[]/.test(part) ? `\\fI${roff(part)}\\fR` : `\\fB${roff(part)}\\fR`;
    })
    .join('');
}

function optionItems(options: readonly OptionNode[]): string[] {
  return options.flatMap((option) => ['.TP', term(option.flags), roff(option.description)]);
}

/** The examples after a command's help, as an indented block without its "Examples:" heading. */
function examples(command: CommandNode): string[] {
  const lines = command.after
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^Examples?:$/.test(line.trim()))
    .map((line) => roff(line.trim()));
  return lines.length === 0 ? [] : ['.PP', 'Example' + (lines.length > 1 ? 's:' : ':'), '.RS 4', '.nf', ...lines, '.fi', '.RE'];
}

const EXIT_MEANING: Readonly<Record<keyof typeof EXIT, string>> = {
  ok: 'done',
  error: 'an error; the message is on standard error',
  usage: 'bad usage: unknown command or option, missing or bad argument, a needed \\-\\-yes',
  unopenable: 'the vault cannot be opened: wrong passphrase, damaged or tampered, not a vault, unsupported version',
  nothing: 'nothing to give: no such account, no code left, unknown code',
  cancelled: 'cancelled at a prompt (Ctrl+C)',
};

/** Writes the man page for the program. */
export function manPage(program: CommandNode, facts: ManPageFacts): string {
  const name = program.name;
  const lines: string[] = [
    `.\\" Written by the build from lifeboat's command definitions (src/cli/man-page.ts); do not edit.`,
    `.TH ${name.toUpperCase()} 1 ${facts.date} "${name} ${facts.version}" "User Commands"`,
    '.SH NAME',
    `${name} \\- ${roff(program.description.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase()))}`,
    '.SH SYNOPSIS',
    `.B ${name}`,
    `[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR] [\\fIarguments\\fR]`,
    '.SH DESCRIPTION',
    roff(program.description),
    'Everything it says goes to standard error; standard output carries only data (codes, tables, JSON).',
    '.SH GLOBAL OPTIONS',
    'These may also follow the command name.',
    ...optionItems(program.options),
    '.SH COMMANDS',
  ];
  for (const command of program.commands) {
    lines.push(`.SS "${roff(command.usage)}"`, roff(command.description));
    if (command.arguments.length > 0) {
      lines.push('.PP', 'Arguments:', '.RS 4');
      for (const argument of command.arguments) lines.push('.TP', `\\fI${roff(argument.term)}\\fR`, roff(argument.description));
      lines.push('.RE');
    }
    if (command.options.length > 0) {
      lines.push('.PP', 'Options:', '.RS 4', ...optionItems(command.options), '.RE');
    }
    lines.push(...examples(command));
  }
  lines.push('.SH EXIT STATUS', '.TP 5');
  const statuses = Object.entries(EXIT) as [keyof typeof EXIT, number][];
  statuses.forEach(([key, status], index) => {
    if (index > 0) lines.push('.TP');
    lines.push(`.B ${status}`, EXIT_MEANING[key]);
  });
  lines.push(
    '.SH EXAMPLES',
    ...examples(program).slice(2),
    '.SH SEE ALSO',
    'The README and docs/vault\\-format.md in the package\\(aqs folder (after a global install,',
    '\\fI$(npm root \\-g)/lifeboat\\fR); they also tell how to read the vault without this tool.',
    '',
  );
  return lines.join('\n');
}
