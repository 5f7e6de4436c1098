import type { Diagnosis } from './interop-diagnosis';

/** One line of the per-mailbox table. */
export interface MailboxRow {
  readonly address: string;
  /** The ResponseCode, or what kept the mailbox from being answered ("fault", "not asked"). */
  readonly status: string;
  readonly events?: number;
  readonly error?: string;
  readonly diagnosis?: Diagnosis;
}

/** A plain-text table an admin can paste into a ticket. Pure. */
export function formatMailboxTable(rows: readonly MailboxRow[]): string[] {
  const header = ['MAILBOX', 'STATUS', 'EVENTS', 'ERROR'];
  const cells = rows.map((r) => [
    r.address,
    r.status,
    r.events === undefined ? '-' : String(r.events),
    r.error ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]) =>
    c
      .map((cell, i) => (i === c.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)];
}

/** "Google shows ...: why" per failed mailbox (or for the whole check when `address` is absent). */
export function formatDiagnosis(diagnosis: Diagnosis, address?: string): string {
  return `${address === undefined ? '' : `${address}: `}Google shows "${diagnosis.google}": ${diagnosis.detail}`;
}

export function formatSummary(rows: readonly MailboxRow[]): string {
  const failed = rows.filter((r) => r.status !== 'NoError').length;
  return failed === 0
    ? `OK: all ${rows.length} mailbox${rows.length === 1 ? '' : 'es'} answered NoError`
    : `FAILED: ${failed} of ${rows.length} mailbox${rows.length === 1 ? '' : 'es'} not answered with NoError`;
}
