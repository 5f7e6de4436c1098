import { execFile } from 'node:child_process';

/**
 * Runs one of the real EWS clients of test/clients as a child process and returns the JSON it
 * printed. The clients run in their own processes because each fixes its time zone at start
 * (ews-javascript-api reads TZ once; exchangelib takes the zone as an argument).
 */
export function runClient(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 45_000,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${command} ${args[0] ?? ''} failed: ${error.message}\n${stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout));
        } catch {
          reject(new Error(`${command} printed no JSON:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

/** "YYYY-MM-DDTHH:mm:ss" wall-clock time of `iso` in `zone`, from the IANA database (Intl). */
export function wallClock(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}

/** UTC offset of `zone` at `iso`, as "+HH:MM" (what Python's isoformat() prints). */
export function utcOffset(iso: string, zone: string): string {
  const local = Date.parse(`${wallClock(iso, zone)}Z`);
  const minutes = Math.round((local - Date.parse(iso)) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
