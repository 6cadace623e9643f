import { editAccount, type AccountEdit, type EditedField } from '../../domain/index.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { askEditable } from '../prompts.js';
import { hasTerminal } from '../terminal.js';

/** Options of `lifeboat edit`. */
export interface EditOptions {
  readonly service?: string;
  readonly username?: string;
  readonly note?: string;
}

const LABELS: Record<EditedField['field'], string> = { service: 'Service', username: 'Username', note: 'Note' };

function describeChange(change: EditedField): string {
  if (change.after === null) return `cleared the ${change.field}`;
  return `set the ${change.field} to "${change.after}"`;
}

/**
 * `lifeboat edit <account>`: changes the service, username or note of an account. With no flag, on a
 * terminal, each is asked with today's value ready to edit (an emptied line clears it); the values live in
 * the encrypted vault, so these questions come after the passphrase.
 */
export async function edit(context: CommandContext, query: string, options: EditOptions): Promise<void> {
  const given: AccountEdit = { service: options.service, username: options.username, note: options.note };
  const interactive = options.service === undefined && options.username === undefined && options.note === undefined;
  if (interactive && !hasTerminal()) {
    throw new UsageError('nothing to change', 'pass --service, --username or --note (an empty value clears it)');
  }
  await context.withVault(async (vault) => {
    let request = given;
    if (interactive) {
      const name = await context.accountName(vault.content, query);
      const account = editAccount(vault.content, name, {}, context.change()).account;
      context.say(`editing ${account.name}: change a value, empty a line to clear it, Enter keeps it`);
      request = {
        service: await askEditable(LABELS.service, account.service ?? ''),
        username: await askEditable(LABELS.username, account.username ?? ''),
        note: await askEditable(LABELS.note, account.note ?? ''),
      };
      query = account.name;
    } else {
      query = await context.accountName(vault.content, query);
    }
    // Checks the values before the lock is taken, and leaves the file untouched when nothing changes.
    if (editAccount(vault.content, query, request, context.change()).changed.length === 0) {
      context.say(`${query}: nothing changed`);
      return;
    }
    const result = await vault.update((content) => {
      const outcome = editAccount(content, query, request, context.change());
      return { content: outcome.vault, result: outcome };
    });
    context.say(`${result.account.name}: ${result.changed.map(describeChange).join(', ')}`);
  });
}
