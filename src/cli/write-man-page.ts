import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describeProgram } from './command-tree.js';
import { manPage } from './man-page.js';
import { buildProgram, VERSION } from './program.js';
import { readSettings } from './settings.js';

/**
 * The build step that writes the man page: `node dist/cli/write-man-page.js man/lifeboat.1` (package.json
 * "build" and "prepare"). The date is SOURCE_DATE_EPOCH's when set, so a rebuild of one release writes
 * the same bytes (reproducible-builds.org/specs/source-date-epoch).
 */
const target = process.argv[2] ?? 'man/lifeboat.1';
const silent = new PassThrough();
const io = { stdout: silent, stderr: silent, stdin: silent, stdinIsTty: false, stdoutIsTty: false, env: {} };
const program = buildProgram(io, readSettings({}, false), () => {});
const epoch = Number(process.env['SOURCE_DATE_EPOCH']);
const date = (Number.isFinite(epoch) && process.env['SOURCE_DATE_EPOCH'] ? new Date(epoch * 1000) : new Date()).toISOString().slice(0, 10);
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, manPage(describeProgram(program), { version: VERSION, date }));
