import { parseRelayConfig } from '@app/config';
import { adminConsoleValues, formatKeySources, isSecretKey } from './config-report';

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
      ].some(isSecretKey),
    ).toBe(false);
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
});
