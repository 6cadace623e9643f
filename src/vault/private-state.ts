import fs from 'node:fs';
import path from 'node:path';
import { createFile, replaceFile } from './atomic-file.js';

/** Ensures the private state folder exists (0700) and returns it. */
export function privateFolder(base: string): string {
  fs.mkdirSync(base, { recursive: true, mode: 0o700 });
  return base;
}

/** Reads a file of the private state folder, or null when there is none. */
export function readPrivateFile(folder: string, name: string): Uint8Array | null {
  try {
    return fs.readFileSync(path.join(folder, name));
  } catch {
    return null;
  }
}

/** Writes a file of the private state folder atomically, mode 0600. */
export function writePrivateFile(folder: string, name: string, bytes: Uint8Array): void {
  replaceFile(path.join(folder, name), bytes);
}

/** This device's stable id: 16 lowercase hex digits kept in the file `device`, drawn on first use. */
export function deviceId(folder: string, newId: () => string): string {
  const stored = new TextDecoder().decode(readPrivateFile(folder, 'device') ?? new Uint8Array()).trim();
  if (/^[0-9a-f]{16}$/.test(stored)) return stored;
  const id = newId().slice(0, 16);
  try {
    createFile(path.join(folder, 'device'), new TextEncoder().encode(`${id}\n`));
  } catch {
    writePrivateFile(folder, 'device', new TextEncoder().encode(`${id}\n`));
  }
  return id;
}
