import { GraphEmulator } from '../../test/graph-emulator/graph-emulator';
import { calendarFor, mailboxAddress } from './workload';

/**
 * The Graph/Entra emulator in its own process (forked by bench.ts with an IPC channel), so its
 * work is not counted against the relay or the load generator. It serves 100 mailboxes of
 * realistic density and answers at once: each schedule is computed on first request and kept,
 * so the emulator's cost per call is serialising JSON and TLS, as a fast Graph would be.
 */

export type EmulatorRequest = { kind: 'counters' };
export type EmulatorMessage =
  | { kind: 'ready'; env: Record<string, string>; events: number }
  | { kind: 'counters'; getSchedule: number; tokensIssued: number };

async function main(): Promise<void> {
  const emulator = await GraphEmulator.start();
  let events = 0;
  for (let i = 0; i < 100; i++) {
    const calendar = calendarFor(i);
    events += calendar.length;
    emulator.calendar.set(mailboxAddress(i), { events: calendar });
  }
  const compute = emulator.calendar.scheduleFor.bind(emulator.calendar);
  const answers = new Map<string, Record<string, unknown>>();
  emulator.calendar.scheduleFor = (requested, window, interval) => {
    const key = `${requested.toLowerCase()}|${window.startMs}|${window.endMs}|${interval}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = compute(requested, window, interval);
      answers.set(key, answer);
    }
    return answer;
  };
  // The emulator keeps every call for tests to inspect; a benchmark makes millions.
  setInterval(() => (emulator.scheduleCalls.length = 0), 1000).unref();

  const send = (message: EmulatorMessage) => process.send?.(message);
  process.on('message', (request: EmulatorRequest) => {
    if (request.kind === 'counters') {
      send({
        kind: 'counters',
        getSchedule: emulator.counters.getSchedule,
        tokensIssued: emulator.counters.tokensIssued,
      });
    }
  });
  process.on('disconnect', () => {
    void emulator.close().finally(() => process.exit(0));
  });
  send({ kind: 'ready', env: emulator.relayEnv(), events });
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${String(error)}\n`);
  process.exit(1);
});
