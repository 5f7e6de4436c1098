import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { childElement } from '../libs/ews/src/xml/xml-element';
import { parseXmlDocument } from '../libs/ews/src/xml/parse-xml-document';
import { bearerTokenFor, startRelay } from './support/relay-app';
import { E, FIXTURES_DIR, SOAP_NS } from './support/soap';

/**
 * Property-based fuzzing of the EWS endpoint with requests mutated from the real clients'
 * fixtures (byte flips, truncation, duplicated and renamed elements, swapped namespaces, huge
 * numbers, impossible dates, stray markup). Whatever arrives, a client must get a well-formed
 * SOAP answer or fault (or a plain 401/403/413), the process must keep serving, and memory must
 * not grow with the number of requests.
 */

const RUNS = 2000;
const WARM_UP_RUNS = 200;
const SEEDS = readdirSync(FIXTURES_DIR)
  .filter((name) => name.endsWith('.xml'))
  .map((name) => readFileSync(join(FIXTURES_DIR, name)));

const NAMESPACES = [
  'http://schemas.xmlsoap.org/soap/envelope/',
  'http://www.w3.org/2003/05/soap-envelope',
  'http://schemas.microsoft.com/exchange/services/2006/messages',
  'http://schemas.microsoft.com/exchange/services/2006/types',
  'https://schemas.microsoft.com/exchange/services/2006/types',
  'urn:evil',
  '',
];
const HUGE_NUMBERS = [
  '9'.repeat(400),
  '-99999999999999999999',
  '1e308',
  'NaN',
  '-0',
  '0x10',
  '2147483648',
];
const BAD_DATES = [
  '2024-02-30T25:61:61',
  '0000-00-00T00:00:00',
  '+275760-09-13T00:00:01Z',
  '-000001-01-01T00:00:00',
  '2024-03-11T00:00:00+99:99',
  '2024-03-11',
  'not a date',
  '9999-12-31T23:59:59.9999999999Z',
  '',
];
const STRAY = [
  '&',
  '<',
  ']]>',
  '&amp',
  '&#0;',
  '\u0000',
  '\uFFFF',
  '<![CDATA[x]]>',
  '<!-- x -->',
  '<?pi x?>',
];
const CONTENT_TYPES = [
  'text/xml; charset=utf-8',
  'application/soap+xml; charset=utf-8',
  'application/xml',
  'text/plain',
  'application/octet-stream',
];

/** Elements with text only: `<p:Local attrs>text</p:Local>`. */
const LEAF = /<((?:[\w.-]+:)?[\w.-]+)(\s[^<>]*)?>([^<]*)<\/\1>/g;

type Mutation = (body: Buffer) => Buffer;

/** Picks one of the regex's matches by a fraction in [0, 1). */
function nthMatch(text: string, pattern: RegExp, at: number): RegExpExecArray | undefined {
  const matches = [...text.matchAll(new RegExp(pattern.source, 'g'))];
  return matches.length === 0 ? undefined : matches[Math.floor(at * matches.length)];
}

function replaceMatch(text: string, match: RegExpExecArray, replacement: string): string {
  return text.slice(0, match.index) + replacement + text.slice(match.index + match[0].length);
}

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Byte flips anywhere, including in multi-byte characters and the BOM.
  fc.tuple(fraction, fc.integer({ min: 0, max: 255 })).map(([at, byte]) => (body: Buffer) => {
    const copy = Buffer.from(body);
    copy[Math.floor(at * copy.length)] = byte;
    return copy;
  }),
  fc.tuple(fraction).map(
    ([at]) =>
      (body: Buffer) =>
        body.subarray(0, Math.floor(at * body.length)),
  ),
  // A leaf element duplicated (up to 200 times: more mailboxes, repeated time windows...).
  fc.tuple(fraction, fc.integer({ min: 1, max: 200 })).map(([at, times]) => (body: Buffer) => {
    const text = body.toString('utf8');
    const m = nthMatch(text, LEAF, at);
    return m ? Buffer.from(replaceMatch(text, m, m[0].repeat(times + 1))) : body;
  }),
  // An element removed.
  fc.tuple(fraction).map(([at]) => (body: Buffer) => {
    const text = body.toString('utf8');
    const m = nthMatch(text, LEAF, at);
    return m ? Buffer.from(replaceMatch(text, m, '')) : body;
  }),
  // A namespace URI swapped for another (or none).
  fc.tuple(fraction, fc.constantFrom(...NAMESPACES)).map(([at, ns]) => (body: Buffer) => {
    const text = body.toString('utf8');
    const m = nthMatch(text, /xmlns(?::[\w.-]+)?="([^"]*)"/, at);
    return m ? Buffer.from(replaceMatch(text, m, m[0].replace(m[1], ns))) : body;
  }),
  // A number made huge or strange.
  fc.tuple(fraction, fc.constantFrom(...HUGE_NUMBERS)).map(([at, n]) => (body: Buffer) => {
    const text = body.toString('utf8');
    const m = nthMatch(text, />(-?\d+)</, at);
    return m ? Buffer.from(replaceMatch(text, m, `>${n}<`)) : body;
  }),
  // A date-time made impossible.
  fc.tuple(fraction, fc.constantFrom(...BAD_DATES)).map(([at, date]) => (body: Buffer) => {
    const text = body.toString('utf8');
    const m = nthMatch(text, />(\d{4}-\d\d-\d\dT[^<]*)</, at);
    return m ? Buffer.from(replaceMatch(text, m, `>${date}<`)) : body;
  }),
  // An element renamed to a name that is special to JavaScript objects.
  fc
    .tuple(fraction, fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty'))
    .map(([at, name]) => (body: Buffer) => {
      const text = body.toString('utf8');
      const m = nthMatch(text, LEAF, at);
      if (!m) return body;
      const prefix = m[1].includes(':') ? m[1].slice(0, m[1].indexOf(':') + 1) : '';
      return Buffer.from(replaceMatch(text, m, `<${prefix}${name}>${m[3]}</${prefix}${name}>`));
    }),
  // Stray markup or characters inserted anywhere.
  fc.tuple(fraction, fc.constantFrom(...STRAY)).map(([at, stray]) => (body: Buffer) => {
    const i = Math.floor(at * body.length);
    return Buffer.concat([body.subarray(0, i), Buffer.from(stray), body.subarray(i)]);
  }),
  // A byte order mark added or doubled.
  fc.constant((body: Buffer) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body])),
);

const request = fc.record({
  seed: fc.integer({ min: 0, max: SEEDS.length - 1 }),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  contentType: fc.constantFrom(...CONTENT_TYPES),
  url: fc.constantFrom('/', '/EWS/Exchange.asmx', '/ews/exchange.asmx'),
});

type FuzzedRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

/** A heap measurement after a full collection (V8's gc exposed for this process only). */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('EWS endpoint under fuzzed requests', () => {
  let app: NestFastifyApplication;
  let token: string;

  beforeAll(async () => {
    app = await startRelay({ EVENT_DETAILS: 'true' });
    token = await bearerTokenFor(app);
  });
  afterAll(async () => {
    await app.close();
  });

  /** What a client would make of one answer; throws when it could make nothing of it. */
  async function judge(
    res: Awaited<ReturnType<NestFastifyApplication['inject']>>,
  ): Promise<string> {
    if ([401, 403, 413].includes(res.statusCode)) return String(res.statusCode);
    if (res.statusCode !== 200 && res.statusCode !== 500) {
      throw new Error(`status ${res.statusCode}: ${res.body.slice(0, 300)}`);
    }
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const envelope = await parseXmlDocument(res.body);
    expect(envelope.ns).toBe(SOAP_NS);
    const first = childElement(envelope, SOAP_NS, 'Body')?.children[0];
    if (first === undefined) throw new Error(`no SOAP body: ${res.body.slice(0, 300)}`);
    if (res.statusCode === 500) {
      expect(first.local).toBe('Fault');
      const detail = first.children.find((c) => c.local === 'detail');
      const code = detail && childElement(detail, E, 'ResponseCode')?.text;
      if (code === undefined) throw new Error(`fault without a ResponseCode: ${res.body}`);
      return `500 ${code}`;
    }
    expect(first.local).toMatch(/Response$/);
    return `200 ${first.local}`;
  }

  it(`answers ${RUNS} mutated client requests with SOAP (or 401/403/413), never crashing or leaking memory`, async () => {
    const outcomes = new Map<string, number>();
    const send = async (input: FuzzedRequest) => {
      const body = input.mutations.reduce<Buffer>((b, m) => m(b), SEEDS[input.seed]);
      const res = await app.inject({
        method: 'POST',
        url: input.url,
        headers: { authorization: `Bearer ${token}`, 'content-type': input.contentType },
        payload: body,
      });
      const outcome = await judge(res);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    };

    // Warm up (JIT, caches, lazily loaded zone data), then measure against the settled heap.
    await fc.assert(fc.asyncProperty(request, send), { numRuns: WARM_UP_RUNS });
    const heapBefore = heapAfterGc();
    const started = Date.now();
    await fc.assert(fc.asyncProperty(request, send), { numRuns: RUNS });
    const elapsedMs = Date.now() - started;
    const heapGrowth = heapAfterGc() - heapBefore;

    // The relay is still fine: an unmutated request gets its normal answer.
    const healthy = await app.inject({
      method: 'POST',
      url: '/',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
      payload: SEEDS[0],
    });
    expect(healthy.statusCode).toBe(200);

    process.stdout.write(
      `security-fuzz: ${RUNS} requests in ${elapsedMs} ms, heap growth ${(heapGrowth / 1048576).toFixed(1)} MiB\n` +
        [...outcomes]
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `  ${v}\t${k}`)
          .join('\n') +
        '\n',
    );
    // Mutations must really reach the relay's checks, not just its parser.
    expect([...outcomes.keys()].some((k) => k.startsWith('200 '))).toBe(true);
    expect([...outcomes.keys()].filter((k) => k.startsWith('500 ')).length).toBeGreaterThan(2);
    // A bug, not a bad request: an unexpected exception caught by the fault filter.
    expect(outcomes.get('500 ErrorInternalServerError') ?? 0).toBe(0);
    // Nothing retained per request: 2000 requests of ~2 KiB leave far less than 32 MiB behind.
    expect(heapGrowth).toBeLessThan(32 * 1024 * 1024);
  }, 180_000);
});
