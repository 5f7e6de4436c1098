import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseRelayConfig, splitTenantKey } from '@app/config';
import { OpenBaoDevServer } from '../support/openbao';
import { restoreLogger, startConfigApp, type ConfigApp } from '../support/openbao-config-app';
import {
  CHART_DIR,
  HELM_INSTALL_TIMEOUT_MS,
  REPO_ROOT,
  ensureHelm,
  exampleValues,
  exampleValuesFiles,
  helmLint,
  renderChart,
  renderNotes,
  type Json,
  type KubeObject,
} from './support/helm';
import {
  APP_CONFIG_KEYS,
  VAULT_KEYS,
  configMapEnv,
  documentedGetRoutes,
  isKeyTheRelayReads,
  isSecretKeyOfTheApp,
  isSecretName,
  kinds,
  only,
  podSpec,
  relayContainer,
  secretRefEnv,
  volumeFor,
} from './support/manifests';

// The chart (deploy/helm/calendar-relay) linted and rendered by the real helm, and the rendered
// manifests checked for what a cluster operator relies on: probes on the relay's real routes, a
// locked-down pod, Vault settings under the names the relay reads, a shutdown the grace period
// covers, a NetworkPolicy, and no secret in a ConfigMap.

const GOOGLE_INTEROP_RANGES = [
  '74.125.88.0/27',
  '2001:4860:4::/64',
  '2404:6800:4::/64',
  '2607:f8b0:4::/64',
  '2800:3f0:4::/64',
  '2a00:1450:4::/64',
  '2c0f:fb50:4::/64',
];

/** The documented variants (docs/deployment.md); each is a file in the chart's ci/ directory. */
const DOCUMENTED_VARIANTS = [
  'vault-token-values.yaml',
  'vault-approle-values.yaml',
  'vault-kubernetes-values.yaml',
  'vault-agent-values.yaml',
  'csi-values.yaml',
  'existing-secret-values.yaml',
  'httproute-values.yaml',
  'httproute-envoy-gateway-values.yaml',
  'httproute-istio-values.yaml',
  'httproute-with-ingress-values.yaml',
  'ingress-values.yaml',
  'ingress-allowlist-values.yaml',
  'servicemonitor-values.yaml',
  'autoscaling-values.yaml',
  'tls-passthrough-values.yaml',
  'tenants-values.yaml',
];

beforeAll(() => {
  ensureHelm();
}, HELM_INSTALL_TIMEOUT_MS);

const cache = new Map<string, KubeObject[]>();
function render(variant?: string): KubeObject[] {
  const key = variant ?? 'default';
  if (!cache.has(key)) cache.set(key, renderChart(variant ? [exampleValues(variant)] : []));
  return cache.get(key)!;
}

function probe(objects: KubeObject[], which: string): Json {
  const p = relayContainer(objects)[which];
  if (!p?.httpGet) throw new Error(`${which} is not an httpGet probe: ${JSON.stringify(p)}`);
  return p.httpGet;
}

/** The container port number a probe's port (a name or a number) resolves to. */
function probePortNumber(objects: KubeObject[], port: string | number): number {
  if (typeof port === 'number') return port;
  const named = (relayContainer(objects).ports as Json[]).find((p) => p.name === port);
  if (!named) throw new Error(`probe port ${port} names no container port`);
  return Number(named.containerPort);
}

describe('helm lint', () => {
  it('documents every variant the deployment guide names as an example values file', () => {
    expect(exampleValuesFiles()).toEqual([...DOCUMENTED_VARIANTS].sort());
    const guide = readFileSync(path.join(REPO_ROOT, 'docs/deployment.md'), 'utf8');
    for (const variant of DOCUMENTED_VARIANTS) expect(guide).toContain(variant);
  });

  it.each(['(default values)', ...DOCUMENTED_VARIANTS])('passes --strict with %s', (variant) => {
    const result = helmLint(variant.endsWith('.yaml') ? [exampleValues(variant)] : []);
    expect(result.stderr + result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(result.status).toBe(0);
  });
});

describe('default values', () => {
  it('render the relay, its Service, ConfigMap, ServiceAccount, PDB and NetworkPolicy and no Secret', () => {
    expect(kinds(render())).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
  });

  it('probe the liveness and readiness routes of the relay on its listening port', () => {
    const objects = render();
    const env = configMapEnv(objects);
    const routes = documentedGetRoutes();
    expect(probe(objects, 'livenessProbe').path).toBe('/health/live');
    expect(probe(objects, 'startupProbe').path).toBe('/health/live');
    expect(probe(objects, 'readinessProbe').path).toBe('/health/ready');
    for (const which of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const get = probe(objects, which);
      expect(routes).toContain(get.path);
      expect(get.scheme).toBe('HTTP');
      expect(probePortNumber(objects, get.port)).toBe(Number(env.PORT));
    }
    expect(env.HOST).toBe('0.0.0.0');
  });

  it('run the relay non-root, read-only, without capabilities, under RuntimeDefault seccomp', () => {
    const objects = render();
    const pod = podSpec(objects);
    const container = relayContainer(objects);
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext.capabilities.add).toBeUndefined();
    // The image's USER (Dockerfile) is the uid the pod runs as.
    const dockerUser = /^USER\s+(\d+)(?::(\d+))?\s*$/m.exec(
      readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'),
    );
    expect(dockerUser).not.toBeNull();
    expect(pod.securityContext.runAsUser).toBe(Number(dockerUser![1]));
    // The one writable place is an emptyDir at /tmp.
    expect(volumeFor(objects, '/tmp/x').volume.emptyDir).toBeDefined();
  });

  it('request CPU and memory, bound memory, and spread replicas over zones and nodes', () => {
    const objects = render();
    const container = relayContainer(objects);
    expect(container.resources.requests).toEqual(
      expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
    );
    expect(container.resources.limits.memory).toEqual(expect.any(String));
    const pod = podSpec(objects);
    const podLabels = only(objects, 'Deployment').spec.template.metadata.labels;
    expect(pod.topologySpreadConstraints.map((c: Json) => c.topologyKey as string)).toEqual([
      'topology.kubernetes.io/zone',
      'kubernetes.io/hostname',
    ]);
    for (const c of pod.topologySpreadConstraints) {
      expect(podLabels).toMatchObject(c.labelSelector.matchLabels);
    }
  });

  it('give the relay time to drain and finish a lookup before Kubernetes kills it', () => {
    const objects = render();
    const env = configMapEnv(objects);
    const pod = podSpec(objects);
    const preStop: string[] = relayContainer(objects).lifecycle.preStop.exec.command;
    expect(preStop[0]).toBe('sleep');
    const preStopMs = Number(preStop[1]) * 1000;
    const drainMs = Number(env.SHUTDOWN_DRAIN_MS);
    const deadlineMs = Number(env.GRAPH_DEADLINE_MS);
    expect(drainMs).toBeGreaterThan(0);
    expect(preStopMs).toBeGreaterThan(0);
    expect(drainMs).toBeLessThan(pod.terminationGracePeriodSeconds * 1000);
    expect(preStopMs + drainMs + deadlineMs).toBeLessThan(pod.terminationGracePeriodSeconds * 1000);
    // A rollout never drops below the wanted replica count.
    expect(only(objects, 'Deployment').spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('set only configuration keys the relay reads', () => {
    for (const variant of [undefined, ...DOCUMENTED_VARIANTS]) {
      const unknown = Object.keys(configMapEnv(render(variant))).filter(
        (k) => !isKeyTheRelayReads(k),
      );
      expect({ variant, unknown }).toEqual({ variant, unknown: [] });
    }
  });

  it('hand the relay its mailbox policy settings in a form it accepts', () => {
    const env = configMapEnv(
      renderChart([
        {
          config: {
            eventDetails: ['contoso.com', 'fabrikam.com'],
            roleAccountDomainOnly: true,
            tokenIpAllowlist: '10.0.0.0/8',
          },
        },
      ]),
    );
    expect(env).toMatchObject({
      EVENT_DETAILS: 'contoso.com,fabrikam.com',
      ROLE_ACCOUNT_DOMAIN_ONLY: 'true',
      TOKEN_IP_ALLOWLIST: '10.0.0.0/8',
    });
    expect(configMapEnv(render()).EVENT_DETAILS).toBe('false');
    // What the relay makes of it: the same parser it runs at start-up.
    const config = parseRelayConfig({
      ...env,
      GOOGLE_CLIENT_ID: 'g',
      GOOGLE_CLIENT_SECRET: 'secret',
    });
    expect(config.eventDetails).toEqual(['contoso.com', 'fabrikam.com']);
    expect(config.tokenIpAllowlist?.cidrs).toEqual(['10.0.0.0/8']);
  });

  it('hand the relay its room directory and readiness settings in a form it accepts', () => {
    expect(configMapEnv(render())).toMatchObject({
      READINESS_REQUIRES_ALL_TENANTS: 'false',
      ROOMS_CACHE_TTL_SECONDS: '3600',
    });
    expect(configMapEnv(render()).ALL_ROOMS_LIST_ADDRESS).toBeUndefined();
    const env = configMapEnv(
      renderChart([
        {
          config: {
            readinessRequiresAllTenants: true,
            rooms: {
              cacheTtlSeconds: 600,
              allRoomsList: { address: 'all-rooms@contoso.com', name: 'Every room' },
              roomLists: 'Building 1 <building1@contoso.com>: Boardroom <boardroom@contoso.com>',
            },
          },
        },
      ]),
    );
    const config = parseRelayConfig({
      ...env,
      GOOGLE_CLIENT_ID: 'g',
      GOOGLE_CLIENT_SECRET: 'secret',
    });
    expect(config.readinessRequiresAllTenants).toBe(true);
    expect(config.rooms).toMatchObject({
      cacheTtlSeconds: 600,
      allRoomsList: { name: 'Every room', address: 'all-rooms@contoso.com' },
      configuredLists: [{ address: 'building1@contoso.com' }],
    });
  });

  it("hand the relay Graph's per-app call limit and the anchor of a scoped app", () => {
    expect(configMapEnv(render())).toMatchObject({ GRAPH_CONCURRENCY: '4' });
    expect(configMapEnv(render()).GRAPH_ANCHOR_MAILBOX).toBeUndefined();
    const env = configMapEnv(
      renderChart([{ config: { graphConcurrency: 2, graphAnchorMailbox: 'interop@contoso.com' } }]),
    );
    const config = parseRelayConfig({
      ...env,
      GOOGLE_CLIENT_ID: 'g',
      GOOGLE_CLIENT_SECRET: 'secret',
      GRAPH_CLIENT_ID: 'app',
      GRAPH_CLIENT_SECRET: 'graph-secret',
      GRAPH_AUTHORITY: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    });
    expect(config.graph).toMatchObject({ concurrency: 2, anchorMailbox: 'interop@contoso.com' });
  });

  it('log in to Vault with the kubernetes method and the pod service-account token', () => {
    const objects = render();
    const env = configMapEnv(objects);
    expect(env).toMatchObject({
      VAULT_ADDR: 'https://vault.vault.svc:8200',
      VAULT_AUTH: 'kubernetes',
      VAULT_K8S_ROLE: 'calendar-relay',
      VAULT_K8S_MOUNT: 'kubernetes',
      VAULT_KV_MOUNT: 'secret',
      VAULT_SECRET_PATH: 'calendar-relay',
      VAULT_K8S_TOKEN_FILE: '/var/run/secrets/kubernetes.io/serviceaccount/token',
    });
    expect(podSpec(objects).automountServiceAccountToken).toBe(true);
    const account = only(objects, 'ServiceAccount');
    expect(podSpec(objects).serviceAccountName).toBe(account.metadata.name);
  });

  it('allow traffic in from the ingress controller only and out to DNS, Vault and HTTPS', () => {
    const objects = render();
    const policy = only(objects, 'NetworkPolicy');
    const podLabels = only(objects, 'Deployment').spec.template.metadata.labels;
    expect(podLabels).toMatchObject(policy.spec.podSelector.matchLabels);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);

    expect(policy.spec.ingress).toHaveLength(1);
    expect(policy.spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 'http', protocol: 'TCP' }]);

    const egress: Json[] = policy.spec.egress;
    // No rule without ports: nothing may reach every port of anything.
    for (const rule of egress) expect(rule.ports?.length).toBeGreaterThan(0);
    const portsOf = (rule: Json): string[] =>
      (rule.ports as Json[]).map((p: Json) => `${p.protocol}/${p.port}`).sort();
    const dns = egress.find((r) => portsOf(r).includes('UDP/53'));
    expect(portsOf(dns)).toEqual(['TCP/53', 'UDP/53']);
    const vault = egress.find((r) => portsOf(r).includes('TCP/8200'));
    expect(vault.to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'vault' } } },
    ]);
    const https = egress.find((r) => portsOf(r).includes('TCP/443'));
    expect(portsOf(https)).toEqual(['TCP/443']);
    const v4 = https.to.find((p: Json) => p.ipBlock?.cidr === '0.0.0.0/0');
    expect(v4.ipBlock.except).toEqual(
      expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']),
    );
    expect(https.to.find((p: Json) => p.ipBlock?.cidr === '::/0')).toBeDefined();
    expect(egress).toHaveLength(3);
  });

  it('roll the pods when a setting changes', () => {
    const checksum = (o: KubeObject[]): string =>
      only(o, 'Deployment').spec.template.metadata.annotations['checksum/config'] as string;
    const changed = renderChart([{ config: { logLevel: 'debug' } }]);
    expect(checksum(changed)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(changed)).not.toBe(checksum(render()));
  });
});

describe('secrets stay out of ConfigMaps', () => {
  it.each(['(default values)', ...DOCUMENTED_VARIANTS])('with %s', (variant) => {
    const objects = render(variant.endsWith('.yaml') ? variant : undefined);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const configMap of objects.filter((o) => o.kind === 'ConfigMap')) {
      const keys = Object.keys(configMap.data ?? {});
      expect(keys.filter(isSecretName)).toEqual([]);
    }
    const container = relayContainer(objects);
    for (const entry of container.env ?? []) {
      if (isSecretName(entry.name)) {
        expect({ name: entry.name, literal: entry.value }).toEqual({
          name: entry.name,
          literal: undefined,
        });
        expect(entry.valueFrom.secretKeyRef).toBeDefined();
      }
    }
  });
});

describe('Vault variants', () => {
  it('token: VAULT_TOKEN from the named Secret, namespace set, no service-account token', () => {
    const objects = render('vault-token-values.yaml');
    const env = configMapEnv(objects);
    expect(env).toMatchObject({
      VAULT_AUTH: 'token',
      VAULT_ADDR: 'https://vault.example.com:8200',
      VAULT_NAMESPACE: 'admin/interop',
    });
    expect(env.VAULT_K8S_ROLE).toBeUndefined();
    const token = relayContainer(objects).env.find((e: Json) => e.name === 'VAULT_TOKEN');
    expect(token.valueFrom.secretKeyRef).toEqual({
      name: 'calendar-relay-vault-token',
      key: 'token',
    });
    expect(podSpec(objects).automountServiceAccountToken).toBe(false);
  });

  it('approle: role id as a setting, secret id as a file from the named Secret', () => {
    const objects = render('vault-approle-values.yaml');
    const env = configMapEnv(objects);
    expect(env.VAULT_AUTH).toBe('approle');
    expect(env.VAULT_ROLE_ID).toBe('4f1a6a8e-2c6f-4a8a-9d5e-3b7c1d2e9f00');
    const { volume, subPath } = volumeFor(objects, env.VAULT_SECRET_ID_FILE);
    expect(volume.secret.secretName).toBe('calendar-relay-approle');
    expect(subPath).toBe('secret-id');
    expect(env.VAULT_SECRET_ID).toBeUndefined();
    // An outside Vault is reached by its address.
    const policy = only(objects, 'NetworkPolicy');
    const vault = policy.spec.egress.find((r: Json) => r.ports[0].port === 8200);
    expect(vault.to).toEqual([{ ipBlock: { cidr: '203.0.113.10/32' } }]);
  });

  it('kubernetes with an audience: a projected Vault-only token, no API-server token, Vault CA', () => {
    const objects = render('vault-kubernetes-values.yaml');
    const env = configMapEnv(objects);
    expect(env.VAULT_AUTH).toBe('kubernetes');
    expect(env.VAULT_K8S_ROLE).toBe('calendar-relay');
    const token = volumeFor(objects, env.VAULT_K8S_TOKEN_FILE);
    const projection = token.volume.projected.sources[0].serviceAccountToken;
    expect(projection).toMatchObject({ audience: 'vault', path: token.subPath });
    expect(podSpec(objects).automountServiceAccountToken).toBe(false);
    const ca = volumeFor(objects, env.VAULT_CACERT);
    expect(ca.volume.configMap.name).toBe('vault-ca');
    expect(ca.subPath).toBe('ca.crt');
    expect(env.GRAPH_AUTHORITY).toBe(
      'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000',
    );
    expect(env.ALLOWED_DOMAINS).toBe('contoso.com,fabrikam.com');
  });

  it('agent injector: one file per app key in /vault/secrets, SECRETS_DIR there, no in-app Vault', () => {
    const objects = render('vault-agent-values.yaml');
    const env = configMapEnv(objects);
    expect(env.SECRETS_DIR).toBe('/vault/secrets');
    expect(Object.keys(env).filter((k) => k.startsWith('VAULT_'))).toEqual([]);
    const annotations = only(objects, 'Deployment').spec.template.metadata.annotations;
    expect(annotations).toMatchObject({
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/role': 'calendar-relay',
      'vault.hashicorp.com/secret-volume-path': env.SECRETS_DIR,
    });
    const prefix = 'vault.hashicorp.com/agent-inject-secret-';
    const files = Object.keys(annotations)
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length));
    expect(files).toContain('google_client_secret');
    expect(files).toContain('graph_client_secret');
    for (const file of files) {
      // The file name is the key the relay reads, in lower case.
      expect({ file, readByTheApp: isSecretKeyOfTheApp(file) }).toEqual({
        file,
        readByTheApp: true,
      });
      expect(annotations[`${prefix}${file}`]).toBe('secret/data/calendar-relay');
      expect(annotations[`vault.hashicorp.com/agent-inject-template-${file}`]).toBe(
        `{{- with secret "secret/data/calendar-relay" -}}{{- with .Data.data.${file} -}}{{ . }}{{- end -}}{{- end -}}`,
      );
    }
    expect(podSpec(objects).automountServiceAccountToken).toBe(true);
  });

  it('CSI: the SecretProviderClass mounted read-only where SECRETS_DIR points, no Vault egress', () => {
    const objects = render('csi-values.yaml');
    const env = configMapEnv(objects);
    const { volume } = volumeFor(objects, `${env.SECRETS_DIR}/google_client_secret`);
    expect(volume.csi).toEqual({
      driver: 'secrets-store.csi.k8s.io',
      readOnly: true,
      volumeAttributes: { secretProviderClass: 'calendar-relay' },
    });
    const policy = only(objects, 'NetworkPolicy');
    expect(policy.spec.egress.some((r: Json) => r.ports[0].port === 8200)).toBe(false);
    expect(podSpec(objects).automountServiceAccountToken).toBe(false);
  });

  it('existing Secret: passed whole as environment, no Vault settings', () => {
    const objects = render('existing-secret-values.yaml');
    expect(relayContainer(objects).envFrom).toContainEqual({
      secretRef: { name: 'calendar-relay' },
    });
    expect(Object.keys(configMapEnv(objects)).filter((k) => k.startsWith('VAULT_'))).toEqual([]);
  });

  it('every VAULT_* name the chart can set is one the Vault source is specified to read', () => {
    const names = new Set<string>();
    for (const variant of [undefined, ...DOCUMENTED_VARIANTS]) {
      const objects = render(variant);
      Object.keys(configMapEnv(objects)).forEach((k) => names.add(k));
      (relayContainer(objects).env ?? []).forEach((e: Json) => names.add(e.name));
    }
    const vaultNames = [...names].filter((n) => n.startsWith('VAULT_'));
    expect(vaultNames.length).toBeGreaterThan(8);
    expect(vaultNames.filter((n) => !VAULT_KEYS.includes(n))).toEqual([]);
    // Non-Vault names are the app's own keys (relayConfigSchema) or the two planned ones.
    const rest = [...names].filter((n) => !n.startsWith('VAULT_'));
    expect(rest.filter((n) => !isKeyTheRelayReads(n))).toEqual([]);
    expect(rest).toEqual(expect.arrayContaining(['PORT', 'GRAPH_DEADLINE_MS', 'LOG_LEVEL']));
    expect(APP_CONFIG_KEYS).toEqual(expect.arrayContaining(['PORT', 'GRAPH_DEADLINE_MS']));
  });
});

describe('several tenants (tenants)', () => {
  const GOOGLE = {
    GOOGLE_CLIENT_ID: 'google-interop',
    GOOGLE_CLIENT_SECRET: 'relay-secret-0123456789',
  };
  /** fabrikam's own Secret, as its owners created it (ci/tenants-values.yaml names its keys). */
  const FABRIKAM_SECRET = {
    'fabrikam-relay': {
      'graph-client-id': 'fabrikam-app',
      'graph-client-secret': 'fabrikam-graph-secret',
      'google-client-id': 'google-fabrikam',
      'google-client-secret': 'fabrikam-google-secret',
    },
  };

  it("render TENANTS and each tenant's keys, which the relay parses into its tenants", () => {
    const objects = render('tenants-values.yaml');
    const env = configMapEnv(objects);
    expect(env).toMatchObject({
      TENANTS: 'contoso,fabrikam',
      TENANT_CONTOSO_DOMAINS: 'contoso.com,contoso.de',
      TENANT_CONTOSO_VAULT_SECRET_PATH: 'calendar-relay/tenants/contoso',
      TENANT_FABRIKAM_DOMAINS: 'fabrikam.com',
    });
    // The single-tenant keys the relay refuses beside TENANTS are not rendered.
    expect(
      Object.keys(env).filter((k) =>
        /^(GRAPH_(?!DEADLINE_MS)|ALLOWED_DOMAINS|EVENT_DETAILS)/.test(k),
      ),
    ).toEqual([]);
    // What the relay makes of it, with contoso's secret as Vault would add it and fabrikam's
    // from its Secret: the same parser it runs at start-up.
    const config = parseRelayConfig({
      ...env,
      ...GOOGLE,
      TENANT_CONTOSO_GRAPH_CLIENT_ID: 'contoso-app',
      TENANT_CONTOSO_GRAPH_CLIENT_SECRET: 'contoso-graph-secret',
      ...secretRefEnv(objects, FABRIKAM_SECRET),
    });
    expect(config.tenants).toEqual([
      expect.objectContaining({
        name: 'contoso',
        domains: ['contoso.com', 'contoso.de'],
        graph: expect.objectContaining({
          clientId: 'contoso-app',
          authority: 'https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111',
          endpoint: 'https://graph.microsoft.com',
          concurrency: 2,
        }),
        eventDetails: ['contoso.com'],
      }),
      expect.objectContaining({
        name: 'fabrikam',
        domains: ['fabrikam.com'],
        graph: expect.objectContaining({
          clientId: 'fabrikam-app',
          clientSecret: 'fabrikam-graph-secret',
          anchorMailbox: 'interop@fabrikam.com',
          concurrency: 4,
        }),
        eventDetails: true,
        google: { clientId: 'google-fabrikam', clientSecret: 'fabrikam-google-secret' },
      }),
    ]);
    expect(configMapEnv(render()).TENANTS).toBeUndefined();
  });

  it("take a tenant's Kubernetes Secret by reference, its key names as given", () => {
    const env: Json[] = relayContainer(render('tenants-values.yaml')).env;
    const refs = env
      .filter((e) => String(e.name).startsWith('TENANT_'))
      .map((e): unknown[] => [e.name, e.value, e.valueFrom.secretKeyRef]);
    expect(refs).toEqual([
      [
        'TENANT_FABRIKAM_GRAPH_CLIENT_ID',
        undefined,
        { name: 'fabrikam-relay', key: 'graph-client-id' },
      ],
      [
        'TENANT_FABRIKAM_GRAPH_CLIENT_SECRET',
        undefined,
        { name: 'fabrikam-relay', key: 'graph-client-secret' },
      ],
      [
        'TENANT_FABRIKAM_GOOGLE_CLIENT_ID',
        undefined,
        { name: 'fabrikam-relay', key: 'google-client-id' },
      ],
      [
        'TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET',
        undefined,
        { name: 'fabrikam-relay', key: 'google-client-secret' },
      ],
      [
        'TENANT_FABRIKAM_GOOGLE_CLIENT_SECRET_PREVIOUS',
        undefined,
        { name: 'fabrikam-relay', key: 'google-client-secret-previous', optional: true },
      ],
    ]);
  });

  it("with the Vault Agent: each tenant's files, from its own secret or the relay's, named as the relay reads them", () => {
    const objects = renderChart([
      exampleValues('tenants-values.yaml'),
      {
        secrets: { source: 'vaultAgent' },
        tenants: {
          northwind: {
            domains: ['northwind.com'],
            ownGoogleClient: true,
            secrets: { source: 'relaySecret' },
          },
        },
      },
    ]);
    const env = configMapEnv(objects);
    // The agent reads the tenant's own secret: the relay has no Vault login to read it with.
    expect(env.TENANT_CONTOSO_VAULT_SECRET_PATH).toBeUndefined();
    const annotations = only(objects, 'Deployment').spec.template.metadata.annotations;
    const prefix = 'vault.hashicorp.com/agent-inject-secret-';
    const tenantFiles = Object.keys(annotations)
      .filter((k) => k.startsWith(`${prefix}tenant_`))
      .map((k) => k.slice(prefix.length));
    expect(tenantFiles.sort()).toEqual(
      [
        'tenant_contoso_graph_client_id',
        'tenant_contoso_graph_client_secret',
        'tenant_northwind_graph_client_id',
        'tenant_northwind_graph_client_secret',
        'tenant_northwind_google_client_id',
        'tenant_northwind_google_client_secret',
        'tenant_northwind_google_client_secret_previous',
      ].sort(),
    );
    // Each file is a key the relay reads from SECRETS_DIR (the upper-case name, a tenant's).
    for (const file of tenantFiles) {
      expect({ file, tenantKey: splitTenantKey(file.toUpperCase()) }).toEqual({
        file,
        tenantKey: expect.objectContaining({
          prefix: expect.stringMatching(/^(CONTOSO|NORTHWIND)$/),
        }),
      });
    }
    const template = (file: string): string =>
      String(annotations[`vault.hashicorp.com/agent-inject-template-${file}`]);
    expect(annotations[`${prefix}tenant_contoso_graph_client_secret`]).toBe(
      'secret/data/calendar-relay/tenants/contoso',
    );
    expect(template('tenant_contoso_graph_client_secret')).toBe(
      '{{- with secret "secret/data/calendar-relay/tenants/contoso" -}}{{- with .Data.data.graph_client_secret -}}{{ . }}{{- end -}}{{- end -}}',
    );
    expect(template('tenant_northwind_google_client_id')).toBe(
      '{{- with secret "secret/data/calendar-relay" -}}{{- with .Data.data.tenant_northwind_google_client_id -}}{{ . }}{{- end -}}{{- end -}}',
    );
  });

  it('print in NOTES.txt one endpoint per domain of each tenant, and where its own client is', () => {
    const notes = renderNotes([exampleValues('tenants-values.yaml')]);
    expect(notes).toContain(
      '    tenant contoso: contoso.com, contoso.de\n    tenant fabrikam: fabrikam.com\n',
    );
    expect(notes).toContain(
      'its own client: key google-client-id (and google-client-secret) of Secret fabrikam-relay',
    );
    const inRelaySecret = renderNotes([
      exampleValues('tenants-values.yaml'),
      {
        tenants: {
          northwind: {
            domains: ['northwind.com'],
            ownGoogleClient: true,
            secrets: { source: 'relaySecret' },
          },
        },
      },
    ]);
    expect(inRelaySecret).toContain(
      "    tenant northwind: northwind.com\n      its own client: tenant_northwind_google_client_id (and tenant_northwind_google_client_secret) of the relay's secrets\n",
    );
  });

  describe('against a real OpenBao, with the Vault policy NOTES.txt prints', () => {
    let bao: OpenBaoDevServer;
    let app: ConfigApp | undefined;

    beforeAll(async () => {
      bao = await OpenBaoDevServer.start();
    }, 60_000);
    afterAll(async () => {
      await app?.close();
      await bao?.stop();
      restoreLogger();
    });

    it("the relay reads its own secret and contoso's, and nothing else", async () => {
      const objects = render('tenants-values.yaml');
      const notes = renderNotes([exampleValues('tenants-values.yaml')]);
      const policy = /The Vault policy[^\n]*\n((?: {2}.*\n)+)/.exec(`${notes}\n`)?.[1];
      expect(policy).toBeDefined();
      await bao.bao(
        ['policy', 'write', 'calendar-relay-chart', '-'],
        policy!.replace(/^ {2}/gm, ''),
      );
      await bao.bao([
        'token',
        'create',
        '-id=chart-tenants',
        '-policy=calendar-relay-chart',
        '-orphan',
      ]);
      await bao.kvPut('secret', 'calendar-relay', {
        google_client_id: GOOGLE.GOOGLE_CLIENT_ID,
        google_client_secret: GOOGLE.GOOGLE_CLIENT_SECRET,
      });
      await bao.kvPut('secret', 'calendar-relay/tenants/contoso', {
        graph_client_id: 'contoso-app',
        graph_client_secret: 'contoso-graph-secret-from-vault',
      });
      await bao.kvPut('secret', 'calendar-relay/tenants/other', { graph_client_secret: 'x' });
      // The chart's ConfigMap, but logging in with the token instead of a service account.
      const rendered = Object.fromEntries(
        Object.entries(configMapEnv(objects)).filter(([k]) => !k.startsWith('VAULT_K8S_')),
      );
      app = await startConfigApp({
        ...rendered,
        ...secretRefEnv(objects, FABRIKAM_SECRET),
        VAULT_ADDR: bao.address,
        VAULT_AUTH: 'token',
        VAULT_TOKEN: 'chart-tenants',
      });
      const tenants = app.store.current().tenants;
      expect(tenants.map((t) => [t.name, t.graph.clientId, t.graph.clientSecret])).toEqual([
        ['contoso', 'contoso-app', 'contoso-graph-secret-from-vault'],
        ['fabrikam', 'fabrikam-app', 'fabrikam-graph-secret'],
      ]);
      const other = await bao.api(
        'GET',
        'secret/data/calendar-relay/tenants/other',
        undefined,
        'chart-tenants',
      );
      expect(other.status).toBe(403);
    });
  });
});

describe('ingress', () => {
  /** Which Ingress serves a path, as ingress-nginx decides: an Exact match, else the longest Prefix. */
  type Route = { ing: KubeObject; path: string; type: string };

  function ingressFor(objects: KubeObject[], requestPath: string): KubeObject {
    const candidates = objects
      .filter((o) => o.kind === 'Ingress')
      .flatMap((ing) =>
        (ing.spec.rules as Json[]).flatMap((rule: Json) =>
          (rule.http.paths as Json[]).map((p: Json): Route => ({
            ing,
            path: p.path as string,
            type: p.pathType as string,
          })),
        ),
      );
    const exact = candidates.find((c) => c.type === 'Exact' && c.path === requestPath);
    if (exact) return exact.ing;
    const prefix = candidates
      .filter(
        (c) =>
          c.type === 'Prefix' &&
          (c.path === '/' || requestPath === c.path || requestPath.startsWith(`${c.path}/`)),
      )
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (!prefix) throw new Error(`no Ingress path serves ${requestPath}`);
    return prefix.ing;
  }

  it('is off by default', () => {
    expect(render().filter((o) => o.kind === 'Ingress')).toEqual([]);
  });

  it('serves every route over TLS for the host, with a cert-manager certificate', () => {
    const objects = render('ingress-values.yaml');
    const ingress = only(objects, 'Ingress');
    // No class named: the cluster's default IngressClass.
    expect(ingress.spec.ingressClassName).toBeUndefined();
    expect(ingress.spec.tls).toEqual([
      { hosts: ['relay.example.com'], secretName: 'calendar-relay-tls' },
    ]);
    expect(ingress.metadata.annotations?.['cert-manager.io/cluster-issuer']).toBe(
      'letsencrypt-prod',
    );
    const service = only(objects, 'Service');
    for (const route of ['/EWS/Exchange.asmx', '/ews/exchange.asmx', '/', '/token']) {
      const backend = ingressFor(objects, route).spec.rules[0].http.paths[0].backend.service;
      expect(backend).toEqual({ name: service.metadata.name, port: { name: 'http' } });
    }
    expect(service.spec.ports).toEqual([
      expect.objectContaining({ name: 'http', targetPort: 'http' }),
    ]);
    expect(configMapEnv(objects).TRUST_PROXY).toBe('10.0.0.0/8');
  });

  it('carries no ingress-nginx annotation or class unless the values name one', () => {
    const nginxSpecific = (ing: KubeObject): string[] => [
      ...Object.keys(ing.metadata.annotations ?? {}).filter((k) => k.includes('nginx')),
      ...(ing.spec.ingressClassName === 'nginx' ? ['ingressClassName: nginx'] : []),
    ];
    for (const objects of [
      renderChart([{ ingress: { enabled: true } }]),
      render('ingress-values.yaml'),
      renderChart([
        exampleValues('ingress-values.yaml'),
        { ingress: { ewsAllowlist: { enabled: true, annotation: 'haproxy.org/allow-list' } } },
      ]),
    ]) {
      const ingresses = objects.filter((o) => o.kind === 'Ingress');
      expect(ingresses.length).toBeGreaterThan(0);
      for (const ing of ingresses) expect(nginxSpecific(ing)).toEqual([]);
    }
    // The annotation named is the one the EWS Ingress carries, with Google's ranges.
    const haproxy = renderChart([
      exampleValues('ingress-values.yaml'),
      { ingress: { ewsAllowlist: { enabled: true, annotation: 'haproxy.org/allow-list' } } },
    ]);
    expect(ingressFor(haproxy, '/EWS/Exchange.asmx').metadata.annotations).toMatchObject({
      'haproxy.org/allow-list': GOOGLE_INTEROP_RANGES.join(','),
    });
  });

  it('with the EWS allowlist: EWS only from Google ranges, /token and /health-check open', () => {
    const objects = render('ingress-allowlist-values.yaml');
    // The ingress-nginx example names its annotation itself; the chart has no default.
    const allowlist = 'nginx.ingress.kubernetes.io/whitelist-source-range';
    for (const route of ['/EWS/Exchange.asmx', '/ews/exchange.asmx', '/']) {
      const ing = ingressFor(objects, route);
      expect(ing.metadata.annotations?.[allowlist]?.split(',')).toEqual(GOOGLE_INTEROP_RANGES);
    }
    for (const route of ['/token', '/health-check']) {
      const ing = ingressFor(objects, route);
      expect(ing.metadata.annotations?.[allowlist]).toBeUndefined();
    }
    const ingresses = objects.filter((o) => o.kind === 'Ingress');
    expect(ingresses).toHaveLength(2);
    // One Certificate owns the TLS Secret: the issuer annotation sits on one Ingress only.
    expect(
      ingresses.filter((i) => i.metadata.annotations?.['cert-manager.io/cluster-issuer']),
    ).toHaveLength(1);
    for (const ing of ingresses) expect(ing.spec.tls[0].hosts).toEqual(['relay.example.com']);
  });
});

describe('Gateway API (HTTPRoute), the default path', () => {
  const GATEWAY = {
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    name: 'public',
    namespace: 'gateway-system',
    sectionName: 'https',
  };
  const TOKEN_RANGES = ['203.0.113.0/24', '2001:db8::/32'];

  const routes = (objects: KubeObject[]): KubeObject[] =>
    objects.filter((o) => o.kind === 'HTTPRoute');

  /**
   * Which HTTPRoute serves a request path (undefined: none, the Gateway's 404), as Gateway API
   * ranks matches across all routes of a listener (HTTPRouteRule.matches, gateway-api
   * apis/v1/httproute_types.go): an Exact match first, then the PathPrefix with the most
   * characters, both case-sensitive. RegularExpression is implementation-specific; the chart
   * writes RE2 for Envoy-based implementations, which match it against the whole path, so a
   * leading (?i) becomes the JavaScript flag and the expression is anchored.
   */
  function httpRouteFor(objects: KubeObject[], requestPath: string): KubeObject | undefined {
    const candidates = routes(objects).flatMap((route) =>
      (route.spec.rules as Json[]).flatMap((rule: Json) =>
        (rule.matches as Json[]).map((m: Json) => ({
          route,
          type: m.path.type as string,
          value: m.path.value as string,
        })),
      ),
    );
    const regexMatches = (value: string): boolean => {
      const caseless = value.startsWith('(?i)');
      const body = caseless ? value.slice('(?i)'.length) : value;
      return new RegExp(`^(?:${body})$`, caseless ? 'i' : '').test(requestPath);
    };
    const exact = candidates.find((c) => c.type === 'Exact' && c.value === requestPath);
    if (exact) return exact.route;
    const prefix = candidates
      .filter((c) => {
        if (c.type !== 'PathPrefix') return false;
        const p = c.value.replace(/\/$/, '');
        return p === '' || requestPath === p || requestPath.startsWith(`${p}/`);
      })
      .sort((a, b) => b.value.length - a.value.length)[0];
    if (prefix) return prefix.route;
    const regex = candidates.filter((c) => c.type === 'RegularExpression' && regexMatches(c.value));
    // Two regular expressions for one path would leave the winner to the implementation.
    expect(regex.length).toBeLessThanOrEqual(1);
    return regex[0]?.route;
  }

  const routeName = (objects: KubeObject[], path: string): string | undefined =>
    httpRouteFor(objects, path)?.metadata.name;

  function policiesOf(objects: KubeObject[]): KubeObject[] {
    return objects.filter((o) => ['SecurityPolicy', 'AuthorizationPolicy'].includes(o.kind));
  }

  it('is off by default, like the Ingress: the chart cannot guess the Gateway', () => {
    expect(routes(render())).toEqual([]);
    expect(policiesOf(render())).toEqual([]);
  });

  it('attaches two routes to the named Gateway listener for the host names, to the Service port', () => {
    const objects = render('httproute-values.yaml');
    const service = only(objects, 'Service');
    const servicePort = service.spec.ports[0];
    expect(routes(objects)).toHaveLength(2);
    for (const route of routes(objects)) {
      expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
      expect(route.metadata.namespace).toBe('interop');
      expect(route.spec.parentRefs).toEqual([GATEWAY]);
      expect(route.spec.hostnames).toEqual(['relay.example.com']);
      for (const rule of route.spec.rules) {
        expect(rule.backendRefs).toEqual([
          { group: '', kind: 'Service', name: service.metadata.name, port: servicePort.port },
        ]);
      }
    }
    // The Service port leads to the relay's listener.
    expect(servicePort.targetPort).toBe('http');
    expect(probePortNumber(objects, 'http')).toBe(Number(configMapEnv(objects).PORT));
    // Without a policy the relay's own allowlist is what holds EWS to Google's ranges.
    expect(policiesOf(objects)).toEqual([]);
    expect(configMapEnv(objects)).toMatchObject({
      IP_ALLOWLIST: 'google',
      TRUST_PROXY: '10.0.0.0/8',
    });
  });

  it('routes EWS to one route, /token and /health-check to the other, and nothing else', () => {
    const objects = render('httproute-values.yaml');
    const ews = routeName(objects, '/EWS/Exchange.asmx');
    const token = routeName(objects, '/token');
    expect(ews).toBe('relay-calendar-relay');
    expect(token).toBe('relay-calendar-relay-token');
    // Core matches only, so every Gateway API implementation routes the same way.
    for (const route of routes(objects)) {
      for (const rule of route.spec.rules) {
        for (const m of rule.matches) expect(m.path.type).toBe('Exact');
      }
    }
    const served = (path: string) => ({ path, route: routeName(objects, path) });
    for (const path of ['/', '/EWS/Exchange.asmx', '/ews/exchange.asmx']) {
      expect(served(path)).toEqual({ path, route: ews });
    }
    expect(served('/health-check')).toEqual({ path: '/health-check', route: token });
    // Metrics and probes stay inside the cluster; other spellings get the Gateway's 404.
    for (const path of ['/metrics', '/Metrics', '/health/ready', '/health/live', '/Token']) {
      expect(served(path)).toEqual({ path, route: undefined });
    }
    expect(served('/Ews/EXCHANGE.ASMX')).toEqual({ path: '/Ews/EXCHANGE.ASMX', route: undefined });
  });

  it('with ewsPathMatch regex: EWS in any letter case, still nothing else', () => {
    const objects = renderChart([
      exampleValues('httproute-values.yaml'),
      { httpRoute: { ewsPathMatch: 'regex' } },
    ]);
    for (const path of [
      '/',
      '/EWS/Exchange.asmx',
      '/ews/exchange.asmx',
      '/Ews/EXCHANGE.ASMX',
      '/EWS/Exchange.asmx/',
    ]) {
      expect({ path, route: routeName(objects, path) }).toEqual({
        path,
        route: 'relay-calendar-relay',
      });
    }
    for (const path of ['/metrics', '/x/ews/exchange.asmx', '/ews/exchange.asmxx']) {
      expect({ path, route: routeName(objects, path) }).toEqual({ path, route: undefined });
    }
    expect(routeName(objects, '/token')).toBe('relay-calendar-relay-token');
  });

  it('lets the Gateway namespace in through the NetworkPolicy, not the ingress controller', () => {
    const policy = only(render('httproute-values.yaml'), 'NetworkPolicy');
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } },
          },
        ],
        ports: [{ port: 'http', protocol: 'TCP' }],
      },
    ]);
    // A parentRef without a namespace is a Gateway in the release namespace.
    const local = renderChart([{ httpRoute: { enabled: true, parentRefs: [{ name: 'shared' }] } }]);
    expect(only(local, 'NetworkPolicy').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'interop' } } },
    ]);
    expect(routes(local)[0].spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared' },
    ]);
  });

  it('Envoy Gateway: a SecurityPolicy denies the EWS route to all but Google, /token stays open', () => {
    const objects = render('httproute-envoy-gateway-values.yaml');
    const ews = httpRouteFor(objects, '/EWS/Exchange.asmx')!;
    const policies = objects.filter((o) => o.kind === 'SecurityPolicy');
    expect(policies).toHaveLength(1);
    const [policy] = policies;
    expect(policy.apiVersion).toBe('gateway.envoyproxy.io/v1alpha1');
    // A SecurityPolicy targets only resources of its own namespace.
    expect(policy.metadata.namespace).toBe(ews.metadata.namespace);
    expect(policy.spec.targetRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: ews.metadata.name },
    ]);
    expect(policy.spec.authorization).toEqual({
      defaultAction: 'Deny',
      rules: [{ action: 'Allow', principal: { clientCIDRs: GOOGLE_INTEROP_RANGES } }],
    });
    // Envoy Gateway's proxies run in its own namespace: those of this Gateway are let in.
    expect(only(objects, 'NetworkPolicy').spec.ingress[0].from).toEqual([
      {
        namespaceSelector: {
          matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' },
        },
        podSelector: { matchLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'public' } },
      },
    ]);

    const withToken = renderChart([
      exampleValues('httproute-envoy-gateway-values.yaml'),
      { httpRoute: { sourceAllowlist: { tokenSourceRanges: TOKEN_RANGES } } },
    ]);
    const token = httpRouteFor(withToken, '/token')!;
    const tokenPolicy = withToken.find(
      (o) => o.kind === 'SecurityPolicy' && o.spec.targetRefs[0].name === token.metadata.name,
    );
    expect(tokenPolicy?.spec.authorization.rules).toEqual([
      { action: 'Allow', principal: { clientCIDRs: TOKEN_RANGES } },
    ]);
  });

  it("Istio: a DENY AuthorizationPolicy on the Gateway, in the Gateway's namespace, for the host names", () => {
    const objects = render('httproute-istio-values.yaml');
    const policy = only(objects, 'AuthorizationPolicy');
    expect(policy.apiVersion).toBe('security.istio.io/v1');
    // targetRefs may name a Gateway only in the policy's own namespace.
    expect(policy.metadata.namespace).toBe(GATEWAY.namespace);
    expect(policy.spec.targetRefs).toEqual([
      { group: GATEWAY.group, kind: GATEWAY.kind, name: GATEWAY.name },
    ]);
    expect(policy.spec.action).toBe('DENY');
    // The open paths are exactly the token route's Exact matches.
    const token = httpRouteFor(objects, '/token')!;
    const openPaths: string[] = (token.spec.rules as Json[]).flatMap((r: Json) =>
      (r.matches as Json[]).map((m: Json) => m.path.value as string),
    );
    expect([...openPaths].sort()).toEqual(['/health-check', '/token']);
    expect(policy.spec.rules).toEqual([
      {
        from: [{ source: { notRemoteIpBlocks: GOOGLE_INTEROP_RANGES } }],
        to: [
          {
            operation: {
              hosts: ['relay.example.com', 'relay.example.com:*'],
              notPaths: openPaths,
            },
          },
        ],
      },
    ]);
    expect(objects.some((o) => o.kind === 'SecurityPolicy')).toBe(false);

    const withToken = renderChart([
      exampleValues('httproute-istio-values.yaml'),
      { httpRoute: { sourceAllowlist: { tokenSourceRanges: TOKEN_RANGES } } },
    ]);
    expect(only(withToken, 'AuthorizationPolicy').spec.rules[1]).toEqual({
      from: [{ source: { notRemoteIpBlocks: TOKEN_RANGES } }],
      to: [
        {
          operation: {
            hosts: ['relay.example.com', 'relay.example.com:*'],
            paths: openPaths,
          },
        },
      ],
    });
  });

  it('with the Ingress on as well (a migration): both reach the same Service and are let in', () => {
    const objects = render('httproute-with-ingress-values.yaml');
    const service = only(objects, 'Service').metadata.name;
    expect(routes(objects)).toHaveLength(2);
    expect(httpRouteFor(objects, '/EWS/Exchange.asmx')!.spec.rules[0].backendRefs[0].name).toBe(
      service,
    );
    expect(only(objects, 'Ingress').spec.rules[0].http.paths[0].backend.service.name).toBe(service);
    const rules: Json[] = only(objects, 'NetworkPolicy').spec.ingress;
    const from = rules.flatMap((r: Json): Json[] => r.from as Json[]);
    expect(from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } } },
    ]);
  });
});

describe('scaling, monitoring and TLS variants', () => {
  it('autoscaling: an HPA on the Deployment, which then leaves replicas to it', () => {
    const objects = render('autoscaling-values.yaml');
    const hpa = only(objects, 'HorizontalPodAutoscaler');
    const deployment = only(objects, 'Deployment');
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 8 });
    expect(deployment.spec.replicas).toBeUndefined();
    expect(render().find((o) => o.kind === 'Deployment')!.spec.replicas).toBe(2);
  });

  it('PodDisruptionBudget selects the relay pods', () => {
    const objects = render();
    const pdb = only(objects, 'PodDisruptionBudget');
    expect(only(objects, 'Deployment').spec.template.metadata.labels).toMatchObject(
      pdb.spec.selector.matchLabels,
    );
    expect(pdb.spec.maxUnavailable).toBe(1);
  });

  it('ServiceMonitor: scrapes /metrics on the Service port and lets Prometheus in', () => {
    const objects = render('servicemonitor-values.yaml');
    const monitor = only(objects, 'ServiceMonitor');
    const service = only(objects, 'Service');
    expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.endpoints).toEqual([
      expect.objectContaining({ port: 'http', path: '/metrics', scheme: 'http' }),
    ]);
    expect(documentedGetRoutes()).toEqual(expect.arrayContaining(['/health/live']));
    const policy = only(objects, 'NetworkPolicy');
    expect(policy.spec.ingress).toContainEqual({
      from: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
      ],
      ports: [{ port: 'http', protocol: 'TCP' }],
    });
    expect(render().some((o) => o.kind === 'ServiceMonitor')).toBe(false);
  });

  it('TLS in the relay: certificate files from the Secret, probes over HTTPS', () => {
    const objects = render('tls-passthrough-values.yaml');
    const env = configMapEnv(objects);
    for (const file of [env.TLS_CERT_FILE, env.TLS_KEY_FILE]) {
      expect(volumeFor(objects, file).volume.secret.secretName).toBe('calendar-relay-tls');
    }
    for (const which of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      expect(probe(objects, which).scheme).toBe('HTTPS');
    }
  });
});

describe('NOTES.txt', () => {
  it('is the notes template the tests render', () => {
    expect(readFileSync(path.join(CHART_DIR, 'templates/NOTES.txt'), 'utf8').trim()).toBe(
      '{{ include "calendar-relay.notes" . }}',
    );
  });

  it('prints the Google admin console settings for the ingress host', () => {
    const notes = renderNotes([
      exampleValues('ingress-values.yaml'),
      { config: { allowedDomains: ['contoso.com'] } },
    ]);
    expect(notes).toContain(
      'Exchange Web Services URL:     https://relay.example.com/EWS/Exchange.asmx',
    );
    expect(notes).toContain('Token endpoint URL:            https://relay.example.com/token');
    expect(notes).toMatch(
      /Application \(client\) ID: +google_client_id of Vault KV v2 secret secret\/calendar-relay/,
    );
    expect(notes).toContain('contoso.com');
  });

  it('prints the HTTPRoute host name and how to see that the Gateway accepted the routes', () => {
    const notes = renderNotes([exampleValues('httproute-values.yaml')]);
    expect(notes).toContain(
      'Exchange Web Services URL:     https://relay.example.com/EWS/Exchange.asmx',
    );
    expect(notes).toContain('Token endpoint URL:            https://relay.example.com/token');
    expect(notes).toContain(
      'kubectl -n interop get httproute relay-calendar-relay relay-calendar-relay-token',
    );
    expect(renderNotes([exampleValues('ingress-values.yaml')])).not.toContain('httproute');
  });

  it('says where the client id is for each secrets source, and that Google needs public HTTPS', () => {
    const withoutIngress = renderNotes();
    expect(withoutIngress).toContain('https://<public host>/EWS/Exchange.asmx');
    expect(withoutIngress).toContain('publicly trusted');
    expect(renderNotes([exampleValues('existing-secret-values.yaml')])).toContain(
      "kubectl -n interop get secret calendar-relay -o jsonpath='{.data.GOOGLE_CLIENT_ID}'",
    );
    expect(renderNotes([exampleValues('csi-values.yaml')])).toContain(
      'google_client_id object of SecretProviderClass calendar-relay',
    );
  });
});
