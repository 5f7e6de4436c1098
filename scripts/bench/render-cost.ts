import { join } from 'node:path';
import { EmulatedCalendar } from '../../test/graph-emulator/emulated-calendar';
import { calendarFor, distinctAvailabilityRequests, mailboxAddress } from './workload';

/**
 * The CPU of the relay's pure steps for one lookup, on the built code, in a process of its own
 * (started by bench.ts with the build directory): reading the EWS request, reading and mapping
 * the getSchedule answers, rendering the response and turning it into bytes. No HTTP, TLS,
 * Graph SDK or logging: what "100 x 42 rendered in under 50 ms of CPU" is about.
 *   node -e "$BENCH_TS_LOADER" scripts/bench/render-cost.ts <build dir> <mailboxes> <days>
 */

import type { MailboxAvailability } from '../../libs/availability/src';
import type { ScheduleChunk } from '../../libs/graph/src/lookup/schedule-plan';

/** A module of the build, typed as its source (the types are erased; the code is the build's). */
function builtModule<T>(build: string, path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(build, 'libs', path)) as T;
}

export interface RenderCost {
  readonly mailboxes: number;
  readonly days: number;
  readonly events: number;
  readonly runs: number;
  /** Median CPU ms per step. */
  readonly parseRequestMs: number;
  readonly graphAnswersMs: number;
  readonly renderMs: number;
  readonly totalMs: number;
}

async function main(): Promise<void> {
  const [build, mailboxArg, dayArg] = process.argv.slice(-3);
  const { parseXmlDocument } = builtModule<
    typeof import('../../libs/ews/src/xml/parse-xml-document')
  >(build, 'ews/src/xml/parse-xml-document.js');
  const { readSoapRequest } = builtModule<typeof import('../../libs/ews/src/soap/soap-request')>(
    build,
    'ews/src/soap/soap-request.js',
  );
  const { parseAvailabilityRequest } = builtModule<
    typeof import('../../libs/ews/src/free-busy/parse-availability-request')
  >(build, 'ews/src/free-busy/parse-availability-request.js');
  const { renderAvailabilityResponse } = builtModule<
    typeof import('../../libs/ews/src/free-busy/render-availability-response')
  >(build, 'ews/src/free-busy/render-availability-response.js');
  const { renderEnvelope } = builtModule<typeof import('../../libs/ews/src/soap/render-envelope')>(
    build,
    'ews/src/soap/render-envelope.js',
  );
  const { readScheduleResponse } = builtModule<
    typeof import('../../libs/graph/src/wire/graph-call-outcome')
  >(build, 'graph/src/wire/graph-call-outcome.js');
  const { mapScheduleAnswer } = builtModule<
    typeof import('../../libs/graph/src/wire/schedule-mapping')
  >(build, 'graph/src/wire/schedule-mapping.js');
  const { planScheduleChunks } = builtModule<
    typeof import('../../libs/graph/src/lookup/schedule-plan')
  >(build, 'graph/src/lookup/schedule-plan.js');
  const { requestBodyOf } = builtModule<
    typeof import('../../libs/graph/src/transport/graph-schedule.client')
  >(build, 'graph/src/transport/graph-schedule.client.js');

  const mailboxes = Number(mailboxArg);
  const days = Number(dayArg);
  const body = Buffer.from(distinctAvailabilityRequests(1, mailboxes, days, 'DetailedMerged')[0]);

  // The getSchedule answers the emulator would send for this lookup (made once, not timed).
  const firstSoap = readSoapRequest(await parseXmlDocument(body));
  const first = parseAvailabilityRequest(firstSoap.operation, firstSoap.header);
  const calendar = new EmulatedCalendar();
  for (let i = 0; i < mailboxes; i++) calendar.set(mailboxAddress(i), { events: calendarFor(i) });
  const chunks: readonly ScheduleChunk[] = planScheduleChunks(first.mailboxes, 20);
  const answers = chunks.map((chunk) => {
    const wire = requestBodyOf({
      ...chunk,
      anchor: chunk.schedules[0],
      window: first.window,
      intervalMinutes: 30,
    });
    const window = {
      startMs: Date.parse(`${wire.startTime.dateTime}Z`),
      endMs: Date.parse(`${wire.endTime.dateTime}Z`),
    };
    return JSON.stringify({
      value: chunk.schedules.map((s) => calendar.scheduleFor(s, window, 30)),
    });
  });
  calendar.clear();

  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const samples: number[][] = [];
  let events = 0;
  const runs = mailboxes >= 100 ? 15 : 100;
  for (let run = 0; run < runs + 3; run++) {
    const t0 = cpuMs();
    const soap = readSoapRequest(await parseXmlDocument(body));
    const request = parseAvailabilityRequest(soap.operation, soap.header);
    const t1 = cpuMs();
    const results: MailboxAvailability[] = [];
    chunks.forEach((chunk, i) => {
      const outcome = readScheduleResponse(200, null, answers[i], Date.now());
      if (outcome.kind !== 'answered') throw new Error(`unreadable answer: ${outcome.kind}`);
      results.push(
        ...mapScheduleAnswer(outcome.schedules, chunk.schedules, {
          window: request.window,
          includeDetails: true,
        }),
      );
    });
    const t2 = cpuMs();
    const xml = renderEnvelope(
      renderAvailabilityResponse(request, results, {
        detailsAllowed: true,
        workingElsewhere: true,
      }),
      'Exchange2010',
    );
    const bytes = Buffer.from(xml);
    const t3 = cpuMs();
    events = results.reduce((n, r) => n + (r.outcome === 'ok' ? r.events.length : 0), 0);
    if (bytes.length === 0) throw new Error('empty response');
    if (run >= 3) samples.push([t1 - t0, t2 - t1, t3 - t2]); // the first runs warm the JIT up
  }
  const median = (k: number) => {
    const sorted = samples.map((s) => s[k]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  };
  const totals = samples.map((s) => s[0] + s[1] + s[2]).sort((a, b) => a - b);
  const cost: RenderCost = {
    mailboxes,
    days,
    events,
    runs,
    parseRequestMs: median(0),
    graphAnswersMs: median(1),
    renderMs: median(2),
    totalMs: totals[Math.floor(totals.length / 2)],
  };
  process.stdout.write(JSON.stringify(cost));
}

main().catch((error: unknown) => {
  process.stderr.write(`render cost: ${String(error)}\n`);
  process.exit(1);
});
