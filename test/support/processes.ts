// Processes a test started and must see end: lifeboat's unlock agent, the clipboard's clearing helper.
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether a process with this pid is running (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits up to `ms` for the process to end; whether it did. */
export async function waitGone(pid: number, ms = 8000): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (!alive(pid)) return true;
    await sleep(50);
  }
  return false;
}
