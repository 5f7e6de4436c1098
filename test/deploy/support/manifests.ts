import { readFileSync } from 'node:fs';
import path from 'node:path';
import { relayConfigSchema, SECRET_SOURCE_SETTING_KEYS, splitTenantKey } from '@app/config';
import { REPO_ROOT, type Json, type KubeObject } from './helm';

/** Lookups over rendered manifests that fail with a useful message instead of `undefined`. */

export function only(objects: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const matches = objects.filter(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  if (matches.length !== 1) {
    throw new Error(
      `expected exactly one ${kind}${name ? ` named ${name}` : ''}, found ${matches.length} ` +
        `(rendered: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')})`,
    );
  }
  return matches[0];
}

export function kinds(objects: readonly KubeObject[]): string[] {
  return objects.map((o) => o.kind).sort();
}

export function podSpec(objects: readonly KubeObject[]): Json {
  return only(objects, 'Deployment').spec.template.spec;
}

export function relayContainer(objects: readonly KubeObject[]): Json {
  const containers: Json[] = podSpec(objects).containers;
  const relay = containers.find((c) => c.name === 'relay');
  if (!relay) throw new Error(`no container named relay in ${JSON.stringify(containers)}`);
  return relay;
}

/** The environment the relay process sees from the ConfigMap (envFrom), as name -> value. */
export function configMapEnv(objects: readonly KubeObject[]): Record<string, string> {
  const container = relayContainer(objects);
  const refs: string[] = (container.envFrom ?? [])
    .filter((e: Json): boolean => Boolean(e.configMapRef))
    .map((e: Json) => e.configMapRef.name as string);
  expect(refs).toHaveLength(1);
  return (only(objects, 'ConfigMap', refs[0]).data ?? {}) as Record<string, string>;
}

/** The file a path lands in: the volume mounted at the longest prefix of it, and the rest. */
export function volumeFor(
  objects: readonly KubeObject[],
  file: string,
): { volume: Json; subPath: string } {
  const mounts: Json[] = relayContainer(objects).volumeMounts ?? [];
  const mount = mounts
    .filter((m) => file.startsWith(`${m.mountPath}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  if (!mount)
    throw new Error(`${file} is on no mounted volume (mounts: ${JSON.stringify(mounts)})`);
  const volume = (podSpec(objects).volumes ?? []).find((v: Json) => v.name === mount.name);
  if (!volume) throw new Error(`volume ${mount.name} is mounted but not defined`);
  return { volume, subPath: file.slice(mount.mountPath.length + 1) };
}

/** Names of the relay's configuration keys as the app reads them (libs/config). */
export const APP_CONFIG_KEYS: readonly string[] = Object.keys(relayConfigSchema.shape);

/** The settings of the secret sources (Vault, SECRETS_DIR), as libs/config reads them. */
export const VAULT_KEYS: readonly string[] = SECRET_SOURCE_SETTING_KEYS.filter((k) =>
  k.startsWith('VAULT_'),
);

/** Every key the chart or compose may hand the relay. */
export const KNOWN_KEYS: ReadonlySet<string> = new Set([
  ...APP_CONFIG_KEYS,
  ...SECRET_SOURCE_SETTING_KEYS,
]);

/** A key the relay reads: one of its own, a secret source's setting, or a tenant's key. */
export function isKeyTheRelayReads(key: string): boolean {
  return KNOWN_KEYS.has(key) || splitTenantKey(key) !== undefined;
}

/** Keys whose values are secrets: never in a ConfigMap, never a literal env value. */
export const SECRET_KEYS = [
  'GOOGLE_CLIENT_SECRET',
  'GOOGLE_CLIENT_SECRET_PREVIOUS',
  'GRAPH_CLIENT_SECRET',
  'TOKEN_SIGNING_KEY',
  'VAULT_TOKEN',
  'VAULT_SECRET_ID',
] as const;

/** A secret's key, the relay's own or a tenant's (TENANT_<NAME>_GRAPH_CLIENT_SECRET, ...). */
export function isSecretName(key: string): boolean {
  const suffix = splitTenantKey(key)?.suffix;
  return (SECRET_KEYS as readonly string[]).includes(suffix ?? key);
}

/**
 * The lower-case Vault secret keys are the app's key names in lower case (docs/architecture.md,
 * "Configuration keys").
 */
export function isSecretKeyOfTheApp(lowerCaseKey: string): boolean {
  return (
    lowerCaseKey === lowerCaseKey.toLowerCase() &&
    APP_CONFIG_KEYS.includes(lowerCaseKey.toUpperCase())
  );
}

/** GET routes of the relay's documented HTTP interface (README.md, "HTTP interface" table). */
export function documentedGetRoutes(): string[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const routes: string[] = [];
  for (const line of readme.split('\n')) {
    const cell = /^\|\s*([^|]*)\|/.exec(line)?.[1] ?? '';
    for (const m of cell.matchAll(/`GET ([^`\s]+)`/g)) routes.push(m[1]);
  }
  if (routes.length === 0) throw new Error('no `GET /...` routes found in the tables of README.md');
  return routes;
}

/**
 * The container's env entries that reference a Secret (secretKeyRef), resolved as the kubelet
 * would from `secrets` (Secret name -> key -> value); a missing key of an `optional` reference
 * is left out, any other missing key fails, as the pod would not start.
 */
export function secretRefEnv(
  objects: readonly KubeObject[],
  secrets: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of (relayContainer(objects).env ?? []) as Json[]) {
    const ref = entry.valueFrom?.secretKeyRef;
    if (ref === undefined) continue;
    const value = secrets[ref.name]?.[ref.key];
    if (value === undefined) {
      if (ref.optional === true) continue;
      throw new Error(`${entry.name}: Secret ${ref.name} has no key ${ref.key}`);
    }
    env[entry.name] = value;
  }
  return env;
}
