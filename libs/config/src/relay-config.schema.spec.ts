import { ConfigurationError } from './configuration-error';
import { parseRelayConfig } from './relay-config.schema';

const base = {
  GOOGLE_CLIENT_ID: 'google-interop',
  GOOGLE_CLIENT_SECRET: 'secret-0123456789',
  GRAPH_CLIENT_ID: 'app',
  GRAPH_CLIENT_SECRET: 'graph-secret',
  GRAPH_AUTHORITY: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    parseRelayConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe("Graph's call limit and anchor", () => {
  it("defaults to Graph's 4 calls per app and no fixed anchor", () => {
    expect(parseRelayConfig(base).graph).toMatchObject({ concurrency: 4 });
    expect(parseRelayConfig(base).graph?.anchorMailbox).toBeUndefined();
  });

  it('takes GRAPH_CONCURRENCY 1..16 and GRAPH_ANCHOR_MAILBOX as one address, lower-cased', () => {
    expect(
      parseRelayConfig({
        ...base,
        GRAPH_CONCURRENCY: '2',
        GRAPH_ANCHOR_MAILBOX: ' Interop@Contoso.com ',
      }).graph,
    ).toMatchObject({ concurrency: 2, anchorMailbox: 'interop@contoso.com' });
  });

  it('names the key and what it expects for a bad value', () => {
    expect(problemsOf({ GRAPH_CONCURRENCY: '0' })).toEqual([
      'GRAPH_CONCURRENCY must be an integer 1..16 (getSchedule calls in flight at once for the app (Graph runs 4 per app ID))',
    ]);
    for (const value of ['interop', 'a@contoso.com,b@contoso.com', 'a@b', '@contoso.com']) {
      expect(problemsOf({ GRAPH_ANCHOR_MAILBOX: value })).toEqual([
        expect.stringMatching(/^GRAPH_ANCHOR_MAILBOX must be one email address such as/),
      ]);
    }
  });
});
