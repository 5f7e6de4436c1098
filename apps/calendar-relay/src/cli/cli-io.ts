/** What a command may touch: its output streams, the environment and the clock. */
export interface CliIo {
  /** Results (the table, the admin console values): stdout. */
  out(line: string): void;
  /** Progress and diagnoses: stderr. */
  err(line: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  now(): Date;
}

/** Exit codes of every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
