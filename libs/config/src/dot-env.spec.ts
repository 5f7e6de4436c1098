import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDotEnv } from './dot-env';

describe('loadDotEnv', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'calendar-relay-dot-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the keys the environment lacks, keeps those it has, and names what it added', () => {
    const file = path.join(dir, '.env');
    writeFileSync(file, 'GOOGLE_CLIENT_ID=from-file\nPORT=9000\n# a comment\nEMPTY=\n');
    const env: Record<string, string | undefined> = { PORT: '8080', EMPTY: undefined };
    expect([...loadDotEnv(env, file)].sort()).toEqual(['EMPTY', 'GOOGLE_CLIENT_ID']);
    expect(env).toEqual({ GOOGLE_CLIENT_ID: 'from-file', PORT: '8080', EMPTY: '' });
  });

  it('does nothing without the file', () => {
    const env = { PORT: '8080' };
    expect(loadDotEnv(env, path.join(dir, 'missing.env')).size).toBe(0);
    expect(env).toEqual({ PORT: '8080' });
  });
});
