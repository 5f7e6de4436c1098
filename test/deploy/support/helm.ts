import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The real `helm` for the chart tests, and the manifests it renders read back as objects.
 *
 * helm comes from PATH or .tools/bin (scripts/install-helm.sh builds it there with `go install`
 * when neither has v3.22.0). The rendered YAML is parsed by helm itself: a tiny helper chart
 * (support/yaml-to-json) runs each document through `fromYaml` (sigs.k8s.io/yaml, the parser
 * the Kubernetes API machinery uses) and prints JSON, so no YAML library is needed here and the
 * objects are what a cluster would see (e.g. an unquoted `on` becomes true, as it would there).
 */

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const CHART_DIR = path.join(REPO_ROOT, 'deploy/helm/calendar-relay');
const YAML_TO_JSON_CHART = path.join(__dirname, 'yaml-to-json');
const HELM_VERSION = 'v3.22.0';
const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts/install-helm.sh');
/** The first build of helm from source takes about 3 minutes on this project's 2-core machines. */
export const HELM_INSTALL_TIMEOUT_MS = 15 * 60 * 1000;

/**
 * A value of the JSON helm renders. Manifests are untyped here: the tests reach into them by the
 * Kubernetes API's field names, and a wrong path fails the assertion that uses it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = any;

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: Json;
};

export type RenderedDocument = { source: string; object: KubeObject };

export type HelmResult = { status: number; stdout: string; stderr: string };

let helmPath: string | undefined;
// helm keeps caches and repository settings under these; point them at a scratch directory so
// the tests neither read nor write the developer's own helm set-up.
const helmHome = mkdtempSync(path.join(tmpdir(), 'calendar-relay-helm-home-'));
process.on('exit', () => rmSync(helmHome, { recursive: true, force: true }));

function versionOf(candidate: string): string | undefined {
  const result = spawnSync(candidate, ['version', '--template', '{{.Version}}'], {
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Finds helm v3.22.0 on PATH or in .tools/bin, or installs it with scripts/install-helm.sh
 * (its progress goes to this process's stderr). Throws with the reason when it cannot.
 */
export function ensureHelm(): string {
  if (helmPath !== undefined) return helmPath;
  const candidates = [
    path.join(REPO_ROOT, '.tools/bin/helm'),
    ...(process.env.PATH ?? '')
      .split(path.delimiter)
      .filter((dir) => dir !== '')
      .map((dir) => path.join(dir, 'helm')),
  ];
  for (const candidate of candidates) {
    if (existsSync(candidate) && versionOf(candidate) === HELM_VERSION) {
      helmPath = candidate;
      return candidate;
    }
  }
  const install = spawnSync('bash', [INSTALL_SCRIPT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: HELM_INSTALL_TIMEOUT_MS,
  });
  const installed = install.stdout?.trim().split('\n').pop() ?? '';
  if (install.status !== 0 || installed === '' || versionOf(installed) !== HELM_VERSION) {
    throw new Error(
      `helm ${HELM_VERSION} is needed for the chart tests and ${INSTALL_SCRIPT} could not install it ` +
        `(exit ${install.status ?? install.signal}; see its messages above). Put helm ${HELM_VERSION} on PATH ` +
        'or make Go and the Go module proxy available, then run the tests again.',
    );
  }
  helmPath = installed;
  return installed;
}

export function helm(args: readonly string[]): HelmResult {
  const result = spawnSync(ensureHelm(), args, {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      HELM_CACHE_HOME: path.join(helmHome, 'cache'),
      HELM_CONFIG_HOME: path.join(helmHome, 'config'),
      HELM_DATA_HOME: path.join(helmHome, 'data'),
      // Nothing here talks to a cluster; make sure nothing could.
      KUBECONFIG: path.join(helmHome, 'no-kubeconfig'),
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** A values override as a temporary file (JSON is YAML), so tests state values as objects. */
export function valuesFile(values: Record<string, unknown>): string {
  const file = path.join(mkdtempSync(path.join(helmHome, 'values-')), 'values.json');
  writeFileSync(file, JSON.stringify(values));
  return file;
}

/** The documented example values of the chart (its ci/ directory), by file name. */
export function exampleValuesFiles(): string[] {
  return readdirSync(path.join(CHART_DIR, 'ci'))
    .filter((name) => name.endsWith('-values.yaml'))
    .sort();
}

export function exampleValues(name: string): string {
  return path.join(CHART_DIR, 'ci', name);
}

export type ValuesSource = string | Record<string, unknown>;

function valuesArgs(values: readonly ValuesSource[]): string[] {
  return values.flatMap((v) => ['-f', typeof v === 'string' ? v : valuesFile(v)]);
}

export function helmTemplate(
  values: readonly ValuesSource[] = [],
  extra: string[] = [],
): HelmResult {
  return helm([
    'template',
    'relay',
    CHART_DIR,
    '--namespace',
    'interop',
    ...valuesArgs(values),
    ...extra,
  ]);
}

export function helmLint(values: readonly ValuesSource[] = []): HelmResult {
  return helm(['lint', CHART_DIR, '--strict', '--namespace', 'interop', ...valuesArgs(values)]);
}

/** Parses a YAML stream (one or more documents) with Kubernetes' YAML parser, via helm. */
export function parseYamlStream(yaml: string): RenderedDocument[] {
  const input = path.join(mkdtempSync(path.join(helmHome, 'yaml-')), 'input.yaml');
  writeFileSync(input, yaml);
  const result = helm([
    'template',
    'yaml-to-json',
    YAML_TO_JSON_CHART,
    '--set-file',
    `yaml=${input}`,
  ]);
  if (result.status !== 0) throw new Error(`YAML could not be parsed: ${result.stderr}`);
  const json = result.stdout
    .split('\n')
    .filter((line) => line !== '---' && !line.startsWith('# Source:'))
    .join('\n');
  const parsed = JSON.parse(json) as { kind: string; items: RenderedDocument[] };
  if (parsed.kind !== 'DocumentList') throw new Error(`unexpected converter output: ${json}`);
  return parsed.items;
}

/** The Kubernetes objects of a successful `helm template`, or an error with helm's message. */
export function renderChart(values: readonly ValuesSource[] = []): KubeObject[] {
  const result = helmTemplate(values);
  if (result.status !== 0) {
    throw new Error(`helm template failed (exit ${result.status}):\n${result.stderr}`);
  }
  return parseYamlStream(result.stdout).map((doc) => doc.object);
}

/**
 * The text NOTES.txt prints after `helm install`. `helm template` never renders NOTES.txt (and
 * `helm install --dry-run` wants a cluster), so NOTES.txt is one include of the named template
 * "calendar-relay.notes"; this renders that template from a scratch copy of the chart.
 */
export function renderNotes(values: readonly ValuesSource[] = []): string {
  const copy = path.join(mkdtempSync(path.join(helmHome, 'chart-')), 'calendar-relay');
  cpSync(CHART_DIR, copy, { recursive: true });
  writeFileSync(
    path.join(copy, 'templates', 'zz-notes-probe.yaml'),
    'notes: {{ include "calendar-relay.notes" . | toJson }}\n',
  );
  const result = helm([
    'template',
    'relay',
    copy,
    '--namespace',
    'interop',
    '--show-only',
    'templates/zz-notes-probe.yaml',
    ...valuesArgs(values),
  ]);
  if (result.status !== 0) throw new Error(`rendering the notes failed:\n${result.stderr}`);
  const [doc] = parseYamlStream(result.stdout);
  return String((doc.object as unknown as { notes: string }).notes);
}
