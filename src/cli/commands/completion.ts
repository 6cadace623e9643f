import type { Command } from 'commander';
import { describeProgram } from '../command-tree.js';
import { completionScript, type Shell } from '../completion.js';
import type { Io } from '../context.js';

/**
 * `lifeboat completion <shell>`: prints the completion script, drawn from the program it runs in, so
 * every command registered in program.ts is in it. Opens no vault and loads no crypto.
 */
export function completion(io: Io, program: Command, shell: Shell): void {
  io.stdout.write(completionScript(describeProgram(program), shell));
}
