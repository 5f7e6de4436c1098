import { parseRelayConfig } from '@app/config';
import { adminConsoleValues, formatKeySources, isSecretKey, keysToReport } from './config-report';

describe('formatKeySources', () => {
  it('names the source of each key, marks secrets, and never prints a value', () => {
    const lines = formatKeySources(
      ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'PORT', 'GRAPH_CLIENT_SECRET'],
      { GOOGLE_CLIENT_ID: 'env', GOOGLE_CLIENT_SECRET: 'vault', PORT: 'env' },
      new Set(['PORT']),
      [{ name: 'vault', healthy: true, detail: 'secret/data/calendar-relay, version 3' }],
    );
    expect(lines).toEqual([
      'GOOGLE_CLIENT_ID      environment',
      'GOOGLE_CLIENT_SECRET  vault (secret/data/calendar-relay, version 3)  [secret, not shown]',
      'PORT                  .env',
      'GRAPH_CLIENT_SECRET   (not set: default)',
    ]);
  });

  it('treats secrets, signing keys and Vault tokens as secret', () => {
    expect(
      [
        'GOOGLE_CLIENT_SECRET_PREVIOUS',
        'TOKEN_SIGNING_KEY',
        'VAULT_TOKEN',
        'VAULT_SECRET_ID',
      ].every(isSecretKey),
    ).toBe(true);
    expect(
      [
        'GOOGLE_CLIENT_ID',
        'GRAPH_CLIENT_ID',
        'VAULT_ADDR',
        'SECRETS_DIR',
        'VAULT_SECRET_PATH',
        'TENANT_CONTOSO_GRAPH_CLIENT_ID',
        'TENANT_CONTOSO_VAULT_SECRET_PATH',
      ].some(isSecretKey),
    ).toBe(false);
    expect(
      [
        'TENANT_CONTOSO_GRAPH_CLIENT_SECRET',
        'TENANT_CONTOSO_GOOGLE_CLIENT_SECRET',
        'TENANT_FABRIKAM_EU_GOOGLE_CLIENT_SECRET_PREVIOUS',
      ].every(isSecretKey),
    ).toBe(true);
  });
});

describe('keysToReport', () => {
  const env = {
    GOOGLE_CLIENT_ID: 'google-interop',
    GOOGLE_CLIENT_SECRET: 'never-printed-0123456789',
    TENANTS: 'contoso',
    TENANT_CONTOSO_DOMAINS: 'contoso.com',
    TENANT_CONTOSO_GRAPH_CLIENT_ID: 'app',
    TENANT_CONTOSO_GRAPH_CLIENT_SECRET: 'graph',
    TENANT_CONTOSO_GRAPH_AUTHORITY: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    TENANT_CONTOSO_VAULT_SECRET_PATH: 'calendar-relay/tenants/contoso',
    SECRETS_DIR: '/vault/secrets',
  };

  it("lists every key of each tenant after the relay's own, set or not", () => {
    const keys = keysToReport(parseRelayConfig(env), env, ['PORT'], ['SECRETS_DIR', 'VAULT_ADDR']);
    expect(keys[0]).toBe('PORT');
    expect(keys).toContain('TENANT_CONTOSO_GRAPH_ANCHOR_MAILBOX');
    expect(keys).toContain('TENANT_CONTOSO_GOOGLE_CLIENT_SECRET_PREVIOUS');
    expect(keys.slice(-2)).toEqual(['TENANT_CONTOSO_VAULT_SECRET_PATH', 'SECRETS_DIR']);
    expect(keys).toHaveLength(1 + 11 + 1 + 1);
  });
});

describe('adminConsoleValues', () => {
  const config = parseRelayConfig({
    GOOGLE_CLIENT_ID: 'google-interop',
    GOOGLE_CLIENT_SECRET: 'never-printed-0123456789',
    ALLOWED_DOMAINS: 'contoso.com,fabrikam.com',
  });

  it('gives the URLs, the client id and one endpoint per allowed domain, without the secret', () => {
    const lines = adminConsoleValues(config, 'https://relay.example.com/');
    expect(lines).toContain(
      'Exchange Web Services URL: https://relay.example.com/EWS/Exchange.asmx   (or https://relay.example.com/)',
    );
    expect(lines).toContain('Token endpoint URL:        https://relay.example.com/token');
    expect(lines).toContain('Application (client) ID:   google-interop');
    expect(lines.filter((l) => l.startsWith('  ') && l.includes('role account'))).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('never-printed');
  });

  it("lists each tenant's domains with the client Google presents for them", () => {
    const lines = adminConsoleValues(
      parseRelayConfig({
        GOOGLE_CLIENT_ID: 'google-interop',
        GOOGLE_CLIENT_SECRET: 'never-printed-0123456789',
        TENANTS: 'contoso,fabrikam',
        TENANT_CONTOSO_DOMAINS: 'contoso.com,contoso.de',
        TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
        TENANT_FABRIKAM_GOOGLE_CLIENT_ID: 'google-fabrikam',
        TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET: 'never-printed-either-0123',
        ...Object.fromEntries(
          ['CONTOSO', 'FABRIKAM'].flatMap((t) => [
            [`TENANT_${t}_GRAPH_CLIENT_ID`, 'app'],
            [`TENANT_${t}_GRAPH_CLIENT_SECRET`, 'graph'],
            [`TENANT_${t}_GRAPH_AUTHORITY`, 'https://login.microsoftonline.com/x'],
          ]),
        ),
      }),
      'https://relay.example.com',
    );
    expect(lines.slice(lines.indexOf(lines.find((l) => l.startsWith('Additional'))!))).toEqual([
      'Additional Exchange endpoints (one per domain, all with the URLs above), per tenant:',
      "  tenant contoso (the relay's Google client):",
      '    contoso.com: EWS URL https://relay.example.com/EWS/Exchange.asmx, role account any address in contoso.com (e.g. interop-role@contoso.com), client id google-interop and the value of GOOGLE_CLIENT_SECRET',
      '    contoso.de: EWS URL https://relay.example.com/EWS/Exchange.asmx, role account any address in contoso.de (e.g. interop-role@contoso.de), client id google-interop and the value of GOOGLE_CLIENT_SECRET',
      '  tenant fabrikam (its own Google client):',
      '    fabrikam.com: EWS URL https://relay.example.com/EWS/Exchange.asmx, role account any address in fabrikam.com (e.g. interop-role@fabrikam.com), client id google-fabrikam and the value of TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET',
    ]);
    expect(lines.join('\n')).not.toContain('never-printed');
  });
});
