import { terminalText as safe } from '../output/sanitize.js';
import { Cancelled, UsageError } from './errors.js';
import { openTerminal, type Terminal } from './terminal.js';

/**
 * The only importer of @inquirer/prompts. Every prompt runs on the controlling terminal; Ctrl+C becomes
 * `Cancelled` (exit 130), never success. The package is loaded only when a prompt is really shown.
 * Questions and choices may name accounts from data, so they pass through the one sanitizer.
 */

type Prompts = typeof import('@inquirer/prompts');

async function load(): Promise<Prompts> {
  return import('@inquirer/prompts');
}

type PromptContext = { input: Terminal['input']; output: Terminal['output']; signal: AbortSignal };

/** Whether a key read from the terminal is Ctrl+D (EOF), as readline names it. */
function isEndOfInput(key: unknown): boolean {
  const { ctrl, name } = (key ?? {}) as { ctrl?: boolean; name?: string };
  return ctrl === true && name === 'd';
}

async function run<T>(ask: (prompts: Prompts, context: PromptContext) => Promise<T>): Promise<T> {
  const prompts = await load();
  const terminal = await openTerminal();
  if (!terminal) throw new UsageError('there is no terminal to ask on');
  // Ctrl+D makes readline close the prompt without settling it, and the process then ends with status 0
  // as if all went well (DEPENDENCIES.md 4; issue 11, finding 9). So end of input, typed or real,
  // aborts the prompt, which becomes Cancelled like Ctrl+C.
  const controller = new AbortController();
  const onKey = (_text: unknown, key: unknown): void => {
    if (isEndOfInput(key)) controller.abort();
  };
  const onEnd = (): void => controller.abort();
  terminal.input.on('keypress', onKey);
  terminal.input.on('end', onEnd);
  try {
    return await ask(prompts, { input: terminal.input, output: terminal.output, signal: controller.signal });
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) throw new Cancelled();
    throw error;
  } finally {
    terminal.input.removeListener('keypress', onKey);
    terminal.input.removeListener('end', onEnd);
    terminal.close();
  }
}

/** Asks for a secret with a mask. */
export function askSecret(message: string, validate?: (value: string) => string | true): Promise<string> {
  return run((p, context) => p.password({ message: safe(message), mask: '*', ...(validate ? { validate } : {}) }, context));
}

/** Asks a yes/no question; the default is no unless said otherwise. */
export function askConfirm(message: string, defaultAnswer = false): Promise<boolean> {
  return run((p, context) => p.confirm({ message: safe(message), default: defaultAnswer }, context));
}

/** Asks for one line of text. */
export function askLine(message: string): Promise<string> {
  return run((p, context) => p.input({ message: safe(message) }, context));
}

/** Lets the user pick one of several choices. */
export function askSelect<T extends string>(message: string, choices: readonly { name: string; value: T }[]): Promise<T> {
  return run((p, context) => p.select({ message: safe(message), choices: choices.map((choice) => ({ ...choice, name: safe(choice.name) })) }, context));
}

/** Lets the user tick any of several choices. */
export function askCheckbox<T extends string>(
  message: string,
  choices: readonly { name: string; value: T; checked: boolean }[],
): Promise<T[]> {
  return run((p, context) => p.checkbox({ message: safe(message), choices: choices.map((choice) => ({ ...choice, name: safe(choice.name) })), pageSize: 20 }, context));
}

/**
 * Asks for one line with today's value already typed in, ready to edit; an emptied line answers "".
 * (@inquirer/input's `prefill: 'editable'` falls back to the default when the line is emptied, so
 * clearing a value would be impossible; Node's own readline pre-fills with `rl.write`.)
 */
export async function askEditable(message: string, current: string): Promise<string> {
  const terminal = await openTerminal();
  if (!terminal) throw new UsageError('there is no terminal to ask on');
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: terminal.input, output: terminal.output, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.on('SIGINT', () => reject(new Cancelled()));
      rl.on('close', () => reject(new Cancelled()));
      rl.question(`${message}: `, (answer) => resolve(answer));
      rl.write(current);
    });
  } finally {
    rl.removeAllListeners('close');
    rl.close();
    terminal.close();
  }
}
