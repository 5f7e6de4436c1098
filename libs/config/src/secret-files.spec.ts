import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSecretFile, readSecretsDirectory, secretFileValue } from './secret-files';

describe('secretFileValue', () => {
  it('drops trailing line breaks only', () => {
    expect(secretFileValue('abc\n')).toBe('abc');
    expect(secretFileValue('abc\r\n\n')).toBe('abc');
    expect(secretFileValue('  a b \n')).toBe('  a b ');
    expect(secretFileValue('line1\nline2\n')).toBe('line1\nline2');
  });

  it('treats an empty file as absent', () => {
    expect(secretFileValue('')).toBeUndefined();
    expect(secretFileValue('\n')).toBeUndefined();
  });
});

describe('reading files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'secret-files-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads key files through symlinks, skipping dot entries, directories and empty files', async () => {
    mkdirSync(path.join(dir, '..2026_01_01'));
    writeFileSync(path.join(dir, '..2026_01_01', 'google_client_secret'), 'from-volume\n');
    symlinkSync('..2026_01_01', path.join(dir, '..data'));
    symlinkSync('..data/google_client_secret', path.join(dir, 'google_client_secret'));
    writeFileSync(path.join(dir, 'graph_client_id'), '');
    mkdirSync(path.join(dir, 'subdir'));
    expect(await readSecretsDirectory(dir)).toEqual({ google_client_secret: 'from-volume' });
  });

  it('says which directory or file cannot be read, with the error code', async () => {
    await expect(readSecretsDirectory(path.join(dir, 'missing'))).rejects.toThrow(
      'the directory cannot be read (ENOENT)',
    );
    await expect(readSecretFile(path.join(dir, 'none'), 'VAULT_SECRET_ID_FILE')).rejects.toThrow(
      `VAULT_SECRET_ID_FILE ${path.join(dir, 'none')} cannot be read (ENOENT)`,
    );
    writeFileSync(path.join(dir, 'empty'), '\n');
    await expect(readSecretFile(path.join(dir, 'empty'), 'VAULT_K8S_TOKEN_FILE')).rejects.toThrow(
      `VAULT_K8S_TOKEN_FILE ${path.join(dir, 'empty')} is empty`,
    );
  });
});
