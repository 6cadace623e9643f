/** Exit statuses of `lifeboat`, defined once (README, "Exit status"). */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** An error; the message is on stderr. */
  error: 1,
  /** Bad usage: unknown command or option, missing or bad argument, a needed `--yes`. */
  usage: 2,
  /** The vault cannot be opened: wrong passphrase, damaged or tampered, not a vault, unsupported version. */
  unopenable: 3,
  /** Nothing to give: no such account, no code left, unknown code. */
  nothing: 4,
  /** Cancelled at a prompt (Ctrl+C or Ctrl+D). */
  cancelled: 130,
} as const;

/** One of the exit statuses above. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
