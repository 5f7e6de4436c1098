import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Reading `/metrics` as Prometheus would: the value of one series in the text exposition
 * (0 when the series does not exist yet, as PromQL's `or vector(0)` would treat it).
 */
export function seriesValue(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number {
  const wanted = Object.entries(labels);
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const present = new Map(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    if (wanted.every(([k, v]) => present.get(k) === v)) return Number(match[3]);
  }
  return 0;
}

/** GET /metrics with no credentials at all; fails the test unless it is a 200 text answer. */
export async function scrape(app: NestFastifyApplication): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}: ${res.body}`);
  return res.body;
}

/** Snapshot now, then `delta(name, labels)` = how much a series grew since the snapshot. */
export async function metricsDelta(app: NestFastifyApplication) {
  const before = await scrape(app);
  return async () => {
    const after = await scrape(app);
    return (name: string, labels: Record<string, string> = {}) =>
      seriesValue(after, name, labels) - seriesValue(before, name, labels);
  };
}
