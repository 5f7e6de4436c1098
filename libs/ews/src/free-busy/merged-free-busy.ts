import type { BusyStatus, CalendarEvent, UtcWindow } from '@app/availability';

/**
 * The MergedFreeBusy digit of a status (docs/protocol.md section 5): 0 free (and working elsewhere,
 * which is available time), 1 tentative, 2 busy, 3 OOF. NoData contributes nothing: EWS's 4
 * means "no data" and Graph's docs once used 4 for working elsewhere, so 4 is never emitted.
 */
export function mergedDigit(status: BusyStatus): number {
  switch (status) {
    case 'Tentative':
      return 1;
    case 'Busy':
      return 2;
    case 'OOF':
      return 3;
    case 'Free':
    case 'WorkingElsewhere':
    case 'NoData':
      return 0;
  }
}

/**
 * One digit per slot of `intervalMinutes` from the window's start, in absolute time (a DST day
 * has 23 or 25 hourly slots); the last slot may be partial, so n = ceil(window / interval).
 * Each slot shows the highest status of any event overlapping it.
 */
export function computeMergedFreeBusy(
  events: readonly CalendarEvent[],
  window: UtcWindow,
  intervalMinutes: number,
): string {
  const slotMs = intervalMinutes * 60_000;
  const slotCount = Math.ceil((window.endMs - window.startMs) / slotMs);
  const digits = new Uint8Array(slotCount);
  for (const event of events) {
    const digit = mergedDigit(event.status);
    if (digit === 0 || event.endMs <= window.startMs || event.startMs >= window.endMs) continue;
    const first = Math.max(0, Math.floor((event.startMs - window.startMs) / slotMs));
    // The slot containing the event's last instant (end is exclusive).
    const last = Math.min(slotCount - 1, Math.ceil((event.endMs - window.startMs) / slotMs) - 1);
    for (let slot = first; slot <= last; slot += 1) {
      if (digits[slot] < digit) digits[slot] = digit;
    }
  }
  let merged = '';
  for (let slot = 0; slot < slotCount; slot += 1) merged += String.fromCharCode(48 + digits[slot]);
  return merged;
}
