import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Secrets delivered as files: the Vault Agent injector and the Secrets Store CSI driver write one
 * file per key into a directory (SECRETS_DIR), named as the lower-case key; AppRole secret ids
 * and Kubernetes service-account tokens arrive the same way.
 */

/**
 * The value a secret file holds: its content without trailing line breaks, which `echo`,
 * editors and templates add but no credential contains. Inner and leading characters are kept.
 * Empty means absent (the injector writes an empty file for a key its secret lacks).
 */
export function secretFileValue(content: string): string | undefined {
  const value = content.replace(/[\r\n]+$/, '');
  return value === '' ? undefined : value;
}

/**
 * Whether a directory entry is a key file. Kubernetes volumes (Secret, projected, CSI) keep the
 * real files in `..data`/`..2024_01_01_...` directories and link each key to them; anything
 * starting with a dot is that machinery, never a key.
 */
export function isKeyFileName(name: string): boolean {
  return !name.startsWith('.');
}

/** Reads one secret file (VAULT_SECRET_ID_FILE, VAULT_K8S_TOKEN_FILE); an empty file is an error. */
export async function readSecretFile(file: string, what: string): Promise<string> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`${what} ${file} cannot be read (${errorCode(error)})`, { cause: error });
  }
  const value = secretFileValue(content);
  if (value === undefined) throw new Error(`${what} ${file} is empty`);
  return value;
}

/**
 * Reads every key file of a secrets directory (following symlinks, as the volumes above use them)
 * into a map of file name to value; empty files are left out. Throws when the directory itself
 * cannot be read.
 */
export async function readSecretsDirectory(dir: string): Promise<Record<string, string>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new Error(`the directory cannot be read (${errorCode(error)})`, { cause: error });
  }
  const values: Record<string, string> = {};
  for (const name of names.filter(isKeyFileName).sort()) {
    const file = path.join(dir, name);
    try {
      if (!(await stat(file)).isFile()) continue;
      const value = secretFileValue(await readFile(file, 'utf8'));
      if (value !== undefined) values[name] = value;
    } catch (error) {
      // A file replaced between readdir and read (an atomic rotation) or unreadable to us.
      throw new Error(`${file} cannot be read (${errorCode(error)})`, { cause: error });
    }
  }
  return values;
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    return String(error.code);
  }
  return error instanceof Error ? error.message : String(error);
}
