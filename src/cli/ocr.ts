import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { codeKey, type IncomingCode } from '../domain/index.js';
import { recognize, type Candidate, type Recognition } from '../import/index.js';
import { CliError } from './errors.js';

/**
 * Codes read from a screenshot or a photo by the system's Tesseract OCR (Debian `tesseract-ocr`), then
 * handed to the same recognizer as a paste. OCR is a process, so it lives here; `src/import` stays pure.
 *
 * Tesseract is reliable on rendered text when the text is large enough (its LSTM models were trained
 * on text around 30 px high, so a 1x screenshot is scaled up first with ImageMagick), when the page is
 * read as one uniform block of lines (`--psm 6`) or as columns of lines (`--psm 4`), and when it is told
 * which characters can occur (`tessedit_char_whitelist`, ignored by the LSTM engine in 4.0 and honoured
 * since 4.1: tesseract-ocr/tesseract issue #751 and the 4.1.0 release notes; Debian 12 ships 5.3):
 * https://tesseract-ocr.github.io/tessdoc/ImproveQuality.html and `tesseract --help-extra`. A whitelist
 * without the space drops the space inside `1234 5678` (seen with 5.3), so digit alphabets include it.
 * One reading can still drop or swap a character, so several differently prepared readings are taken
 * and a list of codes counts as read only when all of them but one at most agree on it, and at least
 * three. Two readings agreeing was not enough: on a blurred photo two passes once agreed on a wrong
 * digit (0 read as 6). Anything less is offered as unsure candidates, never stored as is.
 *
 * Secrets: argv holds only the image path and options; the OCR text travels on pipes and is never
 * written to a file; the children get a minimal environment (no passphrase variables).
 */

/** How a reading of the image went, for the command to word. */
export interface ImageReading {
  /** What the recognizer made of the agreed text (confident only when the readings agree). */
  readonly recognition: Recognition;
  /** How many readings were taken, and how many gave the winning list. */
  readonly readings: number;
  readonly agreeing: number;
}

/** The first bytes of the image formats Tesseract (Leptonica) reads, and of files that are not text. */
export function binaryKind(head: Uint8Array): 'image' | 'pdf' | 'binary' | null {
  const starts = (...bytes: number[]): boolean => bytes.every((byte, i) => head[i] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image'; // PNG
  if (starts(0xff, 0xd8, 0xff)) return 'image'; // JPEG
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image'; // GIF8
  if (starts(0x52, 0x49, 0x46, 0x46) && head[8] === 0x57 && head[9] === 0x45 && head[10] === 0x42 && head[11] === 0x50) return 'image'; // RIFF....WEBP
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'image'; // TIFF
  if (starts(0x42, 0x4d)) return 'image'; // BMP
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'pdf'; // %PDF
  if (head.includes(0)) return 'binary';
  return null;
}

/** The first bytes of a file, to tell images and binaries from text. */
export function fileHead(file: string): Uint8Array {
  const handle = fs.openSync(file, 'r');
  try {
    const buffer = new Uint8Array(4096);
    const read = fs.readSync(handle, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(handle);
  }
}

/** One way of preparing and reading the image. */
interface Pass {
  /** ImageMagick options applied before OCR; empty means the file goes to Tesseract as it is. */
  readonly prepare: readonly string[];
  readonly psm: '4' | '6';
  readonly whitelist: string | null;
}

/**
 * The alphabet to read the codes with, from what the first reading took for codes. OCR confuses `l` and
 * `1`, `O` and `0`, so the alphabet is chosen by the share of characters that fit it, not by all of them.
 */
function whitelistFor(codes: readonly string[]): string | null {
  const chars = codes.map((code) => codeKey(code)).join('');
  if (chars.length === 0) return null;
  const share = (pattern: RegExp): number => [...chars].filter((char) => pattern.test(char)).length / chars.length;
  // Numbering (`1.`, `2)`) and the groups' dashes must stay readable, or lines run together.
  if (share(/\d/) >= 0.9) return '0123456789 .)-';
  if (share(/[0-9a-f]/i) >= 0.85) {
    const upper = codes.join('').replace(/[^A-Za-z]/g, '');
    return upper !== '' && upper === upper.toUpperCase() ? '0123456789ABCDEF-' : '0123456789abcdef-';
  }
  return '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz .)-';
}

/** The codes of a recognition as comparison keys: the codes, or the undoubted candidates. */
function codesOf(recognition: Recognition): readonly { code: string; used: boolean }[] {
  if (recognition.confidence === 'confident') return recognition.codes;
  if (recognition.confidence === 'ambiguous') return recognition.candidates;
  return [];
}

function listKey(recognition: Recognition): string {
  return codesOf(recognition)
    .map((code) => `${codeKey(code.code)}${code.used ? '*' : ''}`)
    .join('\n');
}

/**
 * Runs one pass: ImageMagick's `convert` writes the prepared image to its standard output, which is piped
 * into `tesseract stdin stdout` (Leptonica reads an image from standard input); Tesseract's standard
 * output is collected in memory.
 */
function runPass(file: string, pass: Pass, env: Record<string, string>, haveConvert: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = ['--psm', pass.psm, '--dpi', '300', ...(pass.whitelist ? ['-c', `tessedit_char_whitelist=${pass.whitelist}`] : [])];
    const prepared = haveConvert && pass.prepare.length > 0;
    const tesseract = spawn('tesseract', [prepared ? 'stdin' : file, 'stdout', ...options], {
      env,
      stdio: [prepared ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let errors = '';
    tesseract.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    tesseract.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    tesseract.on('error', reject);
    if (prepared && tesseract.stdin) {
      const convert = spawn('convert', [file, ...pass.prepare, 'png:-'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      convert.on('error', reject);
      tesseract.stdin.on('error', () => undefined);
      convert.stdout.pipe(tesseract.stdin);
    }
    tesseract.on('close', (status) => {
      if (status === 0) resolve(closeDashes(Buffer.concat(out).toString('utf8')));
      else reject(new CliError(`tesseract could not read the image (${errors.trim().split('\n').at(-1) ?? `exit ${status}`})`, { hint: 'give a PNG or JPEG screenshot of the codes' }));
    });
  });
}

/**
 * Tesseract sets a narrow dash apart from its neighbours (`2db46 - f9a17`); codes never hold a spaced
 * dash, so a dash between two letters or digits is joined to them again.
 */
export function closeDashes(text: string): string {
  return text.replace(/(?<=[0-9A-Za-z]) *- *(?=[0-9A-Za-z])/g, '-');
}

function commandExists(command: string, env: Record<string, string>): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, ['--version'], { env, stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', () => resolve(true));
  });
}

/** The scale factor for a screenshot: small images are enlarged so that their text is tall enough. */
function scales(width: number): [string, string, string] {
  if (width > 0 && width < 1000) return ['300%', '350%', '400%'];
  if (width > 0 && width < 2000) return ['150%', '175%', '200%'];
  return ['100%', '115%', '130%'];
}

function imageWidth(file: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('identify', ['-format', '%w', `${file}[0]`], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    child.on('error', () => resolve(0));
    child.on('close', () => resolve(Number.parseInt(text, 10) || 0));
  });
}

/**
 * Reads the codes in an image. Throws a `CliError` (exit 1) with the install line when Tesseract is
 * missing, and when the file is not an image.
 */
export async function readImage(file: string, childEnvironment: Readonly<Record<string, string>>, tessdata?: string): Promise<ImageReading> {
  let head: Uint8Array;
  try {
    head = fileHead(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliError(`cannot read ${file} (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'error')})`, {
      hint: 'check the path given to --image',
    });
  }
  if (binaryKind(head) !== 'image') {
    throw new CliError(`${file} is not an image (PNG, JPEG, GIF, WebP, TIFF or BMP)`, { hint: 'give a text file with --file, or pipe the codes on standard input' });
  }
  // One thread per Tesseract: the passes already run side by side.
  const env: Record<string, string> = { ...(childEnvironment['PATH'] ? { PATH: childEnvironment['PATH'] } : {}), OMP_THREAD_LIMIT: '1' };
  if (tessdata) env['TESSDATA_PREFIX'] = tessdata;
  if (!(await commandExists('tesseract', env))) {
    throw new CliError('reading codes from an image needs tesseract, which is not installed', {
      hint: 'install it with `apt install tesseract-ocr` (Debian, Ubuntu), or type or paste the codes instead',
    });
  }
  const haveConvert = await commandExists('convert', env);
  const [small, middle, large] = scales(haveConvert ? await imageWidth(file, env) : 0);
  // Gray first, then enlarged: the other order left a 1x screenshot's thin strokes harder to read.
  const gray = ['-colorspace', 'Gray'];

  // The first pass reads everything (headings name the service); its codes choose the alphabet of the others.
  const first = await runPass(file, { prepare: [...gray, '-resize', small], psm: '6', whitelist: null }, env, haveConvert);
  const firstRecognition = recognize(first, {});
  const whitelist = whitelistFor(codesOf(firstRecognition).map((code) => code.code));
  const passes: Pass[] = [
    ...(whitelist
      ? ([
          { prepare: [...gray, '-resize', small], psm: '6', whitelist },
          { prepare: [...gray, '-resize', middle], psm: '6', whitelist },
          { prepare: [...gray, '-resize', large], psm: '6', whitelist },
          { prepare: [...gray, '-resize', small, '-sharpen', '0x1'], psm: '6', whitelist },
        ] as const)
      : [{ prepare: [...gray, '-resize', small], psm: '4', whitelist: null } as const]),
  ];
  const texts = [first];
  // Two at a time: enough to use both cores of a small machine without starving it.
  for (let i = 0; i < passes.length; i += 2) {
    texts.push(...(await Promise.all(passes.slice(i, i + 2).map((pass) => runPass(file, pass, env, haveConvert)))));
  }
  // The first pass reads letters freely (`l` for `1`, `O` for `0`), so when an alphabet was chosen only
  // the passes held to it vote; the first still names the service and keeps the service's grouping.
  const others = texts.slice(1).map((text) => recognize(text, {}));
  return agree(firstRecognition, whitelist ? others : [firstRecognition, ...others]);
}

/**
 * The verdict over several readings of one image: the list of codes that every voting reading but one
 * at most gives (and at least three do). Its recognition is the first reading when that one gives the
 * same codes (it kept the headings, the service and its grouping), else the first voter that gives them.
 */
export function agree(first: Recognition, voters: readonly Recognition[]): ImageReading {
  const votes = new Map<string, number>();
  for (const recognition of voters) {
    // Only a reading the recognizer was sure of votes: an unsure one has no list to vote for.
    if (recognition.confidence !== 'confident') continue;
    const key = listKey(recognition);
    votes.set(key, (votes.get(key) ?? 0) + 1);
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  const readings = voters.length;
  const needed = Math.max(3, readings - 1);
  if (best && best[1] >= needed && (!second || second[1] < best[1])) {
    if (first.confidence === 'confident' && listKey(first) === best[0]) return { recognition: first, readings, agreeing: best[1] };
    const winner = voters.find((r) => r.confidence === 'confident' && listKey(r) === best[0]);
    if (winner?.confidence === 'confident') {
      const service = winner.service ?? (first.confidence === 'none' ? null : first.service);
      return { recognition: { ...winner, service }, readings, agreeing: best[1] };
    }
  }
  // No agreement: offer the first reading's candidates, each unticked where the readings disagree on it.
  // A code is sure when as many voters read it as would make a list sure; the others are offered unticked.
  const seen = new Map<string, number>();
  for (const recognition of voters) {
    if (recognition.confidence !== 'confident') continue;
    for (const key of new Set(listKey(recognition).split('\n'))) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const agreed = new Set([...seen].filter(([, count]) => count >= needed).map(([key]) => key));
  const candidates: Candidate[] =
    first.confidence === 'confident'
      ? first.codes.map((code, index) => ({ code: code.code, used: code.used, line: index + 1, doubt: null }))
      : first.confidence === 'ambiguous'
        ? [...first.candidates]
        : [];
  if (candidates.length === 0) return { recognition: first, readings, agreeing: best?.[1] ?? 0 };
  const doubted: IncomingCode[] = [];
  const offered = candidates.map((candidate) => {
    const sure = agreed.has(`${codeKey(candidate.code)}${candidate.used ? '*' : ''}`);
    if (!sure) doubted.push(candidate);
    return sure ? candidate : { ...candidate, doubt: candidate.doubt ?? 'the OCR readings of the image disagree on it' };
  });
  return {
    recognition: {
      confidence: 'ambiguous',
      service: first.confidence === 'none' ? null : first.service,
      label: 'codes read from an image',
      candidates: offered,
      explanation: `the ${readings} OCR readings of the image do not agree on ${doubted.length === 0 ? 'the list' : `${doubted.length} of ${offered.length} codes`}`,
    },
    readings,
    agreeing: best?.[1] ?? 0,
  };
}
