import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_COST, lastExport } from '../../vault/index.js';
import { renderStatus, statusReport, type StatusFacts } from '../../output/status.js';
import { renderJson } from '../../output/text.js';
import type { CommandContext } from '../context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

function modeOf(file: string): number | null {
  try {
    return fs.statSync(file).mode & 0o777;
  } catch {
    return null;
  }
}

/** Whether an unlock session is open for this vault, and until when (src/cli/session.ts). */
async function sessionFact(context: CommandContext, vaultFile: string): Promise<{ open: boolean; until: string | null }> {
  const { sessionStatus } = await import('../session.js');
  const session = await sessionStatus(context.settings);
  const mine = session.open && (session.vault === undefined || session.vault === vaultFile);
  return { open: mine, until: mine ? (session.until ?? null) : null };
}

/**
 * `lifeboat status`: what needs attention, in one screen (src/output/status.ts builds the items). Exit 0
 * when nothing does and 1 when something does, so it can run from cron or a login script.
 */
export async function status(context: CommandContext, options: { readonly json?: boolean }): Promise<ExitCode> {
  return context.withVault(async (vault) => {
    const folder = path.dirname(vault.path);
    const folderMode = modeOf(folder);
    const facts: StatusFacts = {
      vaultFile: vault.path,
      content: vault.content,
      now: context.now(),
      cost: vault.cost,
      defaultCost: DEFAULT_COST,
      lastExport: lastExport(vault.path),
      folder: folderMode === null ? null : { path: folder, mode: folderMode },
      fileMode: modeOf(vault.path),
      conflictCopies: vault.conflictCopies().map((copy) => copy.path),
      session: await sessionFact(context, vault.path),
    };
    const report = statusReport(facts);
    context.out(options.json ? renderJson(report) : renderStatus(report));
    return report.attention ? EXIT.error : EXIT.ok;
  });
}
