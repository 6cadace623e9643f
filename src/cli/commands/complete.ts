import type { Io } from '../context.js';

/**
 * `lifeboat __complete <what>`: the hidden helper the completion scripts run on TAB. It must answer in
 * the time of a Node start-up and never ask anything: it reads no standard input, opens no terminal,
 * loads no libsodium and never decrypts the vault.
 *
 * For `accounts` it will print the account names, one per line, that an unlocked session (the unlock
 * agent) hands it for this vault; without an agent that answers there is nothing to print. The agent
 * fills this in; until then it prints nothing and succeeds, so TAB offers no names instead of an error.
 */
export function complete(_io: Io, _what: string, _vault: string | undefined): void {
  // Deliberately empty until the unlock agent exists (issue 9, "unlock [--for DURATION]").
}
