import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigurationError } from '@app/config';
import { bearerTokenFor, startRelay } from './support/relay-app';
import { fixture, mailboxesOf } from './support/soap';

/**
 * What Google (or anyone holding a token) sees of other domains and of event subjects under the
 * relay's mailbox policy: EVENT_DETAILS per domain, ROLE_ACCOUNT_DOMAIN_ONLY.
 * The demo tenant's mailboxes are all in contoso.com.
 */

const GOOGLE_REQUEST = fixture('google-interop.xml'); // role account interop-role@contoso.com

async function ask(
  env: Record<string, string>,
  body: string,
): Promise<Awaited<ReturnType<typeof mailboxesOf>>> {
  const app: NestFastifyApplication = await startRelay(env);
  try {
    const token = await bearerTokenFor(app);
    const res = await app.inject({
      method: 'POST',
      url: '/',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml; charset=utf-8' },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    return await mailboxesOf(res.body);
  } finally {
    await app.close();
  }
}

const subjectsOf = (mailbox: { events: Array<{ subject?: string }> }) =>
  mailbox.events.map((e) => e.subject).filter((s) => s !== undefined);

describe('EVENT_DETAILS per domain', () => {
  it('shows subjects only for mailboxes of the listed domains', async () => {
    const listed = await ask({ EVENT_DETAILS: 'fabrikam.com, contoso.com' }, GOOGLE_REQUEST);
    expect(listed[0].viewType).toBe('DetailedMerged');
    expect(subjectsOf(listed[0])).toContain('Product roadmap review');

    const other = await ask({ EVENT_DETAILS: 'fabrikam.com' }, GOOGLE_REQUEST);
    // Busy blocks stay; no subject, and the view says so as Exchange would.
    expect(other[0].responseCode).toBe('NoError');
    expect(other[0].events.length).toBeGreaterThan(0);
    expect(subjectsOf(other[0])).toEqual([]);
    expect(other[0].viewType).toBe('FreeBusyMerged');
  });

  it('refuses to start on a value that is neither a boolean nor a domain list', async () => {
    const refusal = await startRelay({ EVENT_DETAILS: 'contoso.com, maybe' }).catch(
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(ConfigurationError);
    expect((refusal as Error).message).toMatch(/EVENT_DETAILS.*"maybe" is not one/);
  });

  it('is off by default', async () => {
    const [adele] = await ask({}, GOOGLE_REQUEST);
    expect(adele.events.length).toBeGreaterThan(0);
    expect(subjectsOf(adele)).toEqual([]);
  });
});

describe('ROLE_ACCOUNT_DOMAIN_ONLY', () => {
  const asFabrikamRole = GOOGLE_REQUEST.replace(
    'interop-role@contoso.com',
    'interop-role@fabrikam.com',
  );

  it("answers another domain's mailboxes as unknown to a caller impersonating a role account", async () => {
    const [adele, nobody] = await ask({ ROLE_ACCOUNT_DOMAIN_ONLY: 'true' }, asFabrikamRole);
    // Exactly what an address that does not exist gets: Google shows "Invalid attendee".
    expect(adele).toMatchObject({
      responseClass: 'Error',
      responseCode: 'ErrorMailRecipientNotFound',
    });
    expect(adele.events).toEqual([]);
    expect(adele.messageText).toBe(nobody.messageText!.replace('no.such.person', 'adele.vance'));
  });

  it('answers the role account domain as usual, and everything while the rule is off', async () => {
    const [own] = await ask({ ROLE_ACCOUNT_DOMAIN_ONLY: 'true' }, GOOGLE_REQUEST);
    expect(own.responseCode).toBe('NoError');
    const [ruleOff] = await ask({}, asFabrikamRole);
    expect(ruleOff.responseCode).toBe('NoError');
  });
});
