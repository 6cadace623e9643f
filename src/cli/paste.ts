import { Cancelled } from './errors.js';
import { openTerminal } from './terminal.js';

/**
 * The typed prompt of `lifeboat add`: one reader for a whole block of lines, typed or pasted (issue 10,
 * "Paste"). A line-at-a-time prompt keeps the first line of a paste and loses the rest, so the terminal
 * is read raw and the block is collected here.
 *
 * Bracketed paste (xterm's mode 2004, which tmux, GNOME Terminal, iTerm2, Windows Terminal and others
 * follow: https://invisible-island.net/xterm/ctlseqs/ctlseqs.html#h2-Bracketed-Paste-Mode) wraps
 * pasted text in `ESC [ 200 ~` ... `ESC [ 201 ~`, so an empty line inside a paste is part of the
 * block, while an empty line typed by hand ends it. Without it, an empty line followed by more text in
 * the same read is taken for part of a paste too. Ctrl+D ends the block; Ctrl+C cancels.
 *
 * Nothing read is echoed: each line shows as a mask, so a code that is then not taken never appears
 * on the screen; what was taken is listed once the recognizer has read the block.
 */

const PASTE_START = '\u001b[200~';
const PASTE_END = '\u001b[201~';

/** What the reader says after a chunk of input. */
export type PasteState = 'more' | 'done' | 'cancelled';

/** The state machine behind the prompt, apart from the terminal so that it can be tested on its own. */
export class BlockReader {
  private readonly done: string[] = [];
  private current = '';
  private inPaste = false;
  private pending = '';
  private lastWasCr = false;

  /** The lines finished so far. */
  get lines(): readonly string[] {
    return this.done;
  }

  /** The line being typed. */
  get partial(): string {
    return this.current;
  }

  /** The whole block, once done: every line, the unfinished one included. */
  text(): string {
    return [...this.done, ...(this.current === '' ? [] : [this.current])].join('\n');
  }

  /** Takes one chunk of terminal input (raw mode, UTF-8). */
  feed(chunk: string): PasteState {
    let input = this.pending + chunk;
    this.pending = '';
    let i = 0;
    while (i < input.length) {
      const char = input[i] ?? '';
      if (char === '\u001b') {
        const rest = input.slice(i);
        if (rest.startsWith(PASTE_START)) {
          this.inPaste = true;
          i += PASTE_START.length;
          continue;
        }
        if (rest.startsWith(PASTE_END)) {
          this.inPaste = false;
          i += PASTE_END.length;
          continue;
        }
        // An escape sequence cut in two by the read: keep it for the next chunk.
        if ((PASTE_START.startsWith(rest) || PASTE_END.startsWith(rest)) && rest.length < PASTE_START.length) {
          this.pending = rest;
          return 'more';
        }
        // Any other sequence (arrow keys, function keys): CSI or SS3 up to its final byte, skipped.
        const sequence = /^\u001b(?:\[[0-?]*[ -/]*[@-~]|O.|.)?/.exec(rest);
        i += sequence?.[0].length ?? 1;
        continue;
      }
      i += 1;
      if (char === '\u0003') return 'cancelled';
      if (char === '\u0004') {
        if (this.current !== '') this.endLine();
        return 'done';
      }
      if (char === '\r' || char === '\n') {
        // A CR LF pair is one line break.
        if (char === '\n' && this.lastWasCr) {
          this.lastWasCr = false;
          continue;
        }
        this.lastWasCr = char === '\r';
        if (this.current.trim() === '' && !this.inPaste) {
          // An empty line ends the block, unless more text follows in the same read (an unbracketed paste).
          const rest = input.slice(i).replace(/\u001b\[201~/g, '');
          if (rest.trim() === '') {
            if (this.done.length > 0) return 'done';
            continue;
          }
          this.current = '';
          this.done.push('');
          continue;
        }
        this.endLine();
        continue;
      }
      this.lastWasCr = false;
      if (char === '\u007f' || char === '\b') {
        this.current = [...this.current].slice(0, -1).join('');
        continue;
      }
      if (char === '\t') {
        this.current += ' ';
        continue;
      }
      if (char < ' ') continue;
      this.current += char;
    }
    input = '';
    return 'more';
  }

  private endLine(): void {
    this.done.push(this.current);
    this.current = '';
  }
}

/** A line as it is shown while reading: one dot per character, spaces kept, so nothing secret is echoed. */
export function maskLine(line: string): string {
  return line.replace(/\S/g, '•');
}

/**
 * Reads a block of codes from the controlling terminal: typed or pasted, ended by an empty line or
 * Ctrl+D. Returns null when there is no terminal. Ctrl+C throws `Cancelled`.
 */
export async function readBlock(message: string): Promise<string | null> {
  const terminal = await openTerminal();
  if (!terminal) return null;
  const { input, output } = terminal;
  const reader = new BlockReader();
  let shown = 0;
  const render = (): void => {
    let text = '\r\u001b[K';
    for (; shown < reader.lines.length; shown += 1) {
      const line = reader.lines[shown] ?? '';
      text += line.trim() === '' ? '\n' : `  ${maskLine(line)}\n`;
    }
    output.write(`${text}> ${maskLine(reader.partial)}`);
  };
  output.write(`${message}\n\u001b[?2004h`);
  render();
  try {
    const state = await new Promise<PasteState>((resolve, reject) => {
      input.setRawMode(true);
      input.setEncoding('utf8');
      input.on('error', reject);
      input.on('end', () => resolve('done'));
      input.on('data', (chunk: string) => {
        const next = reader.feed(chunk);
        render();
        if (next !== 'more') resolve(next);
      });
    });
    output.write('\r\u001b[K');
    if (state === 'cancelled') throw new Cancelled();
    const lines = reader.lines.filter((line) => line.trim() !== '').length + (reader.partial.trim() === '' ? 0 : 1);
    output.write(`read ${lines} line${lines === 1 ? '' : 's'}\n`);
    return reader.text();
  } finally {
    output.write('\u001b[?2004l');
    terminal.close();
  }
}
