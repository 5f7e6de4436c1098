import { spawnSync } from 'node:child_process';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What OpenBao's kubernetes auth method needs from a cluster, without a cluster: service-account
 * JWTs signed by a test key (OpenBao verifies them against `pem_keys`) and the TokenReview API
 * that OpenBao calls at every login (POST /apis/authentication.k8s.io/v1/tokenreviews on
 * `kubernetes_host`). The review answers "authenticated" for the service account named in the
 * JWT, as a kube-apiserver would for a live token, and records each review it was asked for.
 * The login request itself goes to the real OpenBao endpoint, which checks the role's bound
 * names and namespaces itself.
 */

export interface ServiceAccount {
  readonly namespace: string;
  readonly name: string;
}

export class TestKubernetesCluster {
  readonly reviews: string[] = [];
  private readonly privateKey: KeyObject;
  readonly publicKeyPem: string;

  private constructor(private readonly server: Server) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  static async start(): Promise<TestKubernetesCluster> {
    let cluster: TestKubernetesCluster | undefined = undefined;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => cluster!.answer(req.method ?? '', req.url ?? '', body, res));
    });
    cluster = new TestKubernetesCluster(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return cluster;
  }

  /** The API server address to configure as kubernetes_host. */
  get host(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A projected service-account token (the claims Kubernetes 1.21+ issues), valid for an hour. */
  serviceAccountToken(account: ServiceAccount, audience = 'vault'): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: 'test-key' };
    const claims = {
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: `system:serviceaccount:${account.namespace}:${account.name}`,
      aud: [audience],
      iat: now,
      nbf: now,
      exp: now + 3600,
      'kubernetes.io': {
        namespace: account.namespace,
        serviceaccount: { name: account.name, uid: `uid-${account.name}` },
      },
    };
    const unsigned = `${base64url(header)}.${base64url(claims)}`;
    const signature = createSign('RSA-SHA256')
      .update(unsigned)
      .sign(this.privateKey)
      .toString('base64url');
    return `${unsigned}.${signature}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(
    method: string,
    url: string,
    body: string,
    res: import('node:http').ServerResponse,
  ): void {
    if (method !== 'POST' || url !== '/apis/authentication.k8s.io/v1/tokenreviews') {
      res.writeHead(404).end();
      return;
    }
    const review = JSON.parse(body) as { spec: { token: string; audiences?: string[] } };
    const token = review.spec.token;
    this.reviews.push(token);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      'kubernetes.io'?: { namespace: string; serviceaccount: { name: string; uid: string } };
    };
    const account = claims['kubernetes.io'];
    res.writeHead(201, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        status:
          account === undefined
            ? { authenticated: false, error: 'not a service-account token' }
            : {
                authenticated: true,
                audiences: review.spec.audiences,
                user: {
                  username: `system:serviceaccount:${account.namespace}:${account.serviceaccount.name}`,
                  uid: account.serviceaccount.uid,
                  groups: ['system:serviceaccounts', `system:serviceaccounts:${account.namespace}`],
                },
              },
      }),
    );
  }
}

/**
 * A self-signed CA certificate (PEM) for `kubernetes_ca_cert`: OpenBao insists on one when it
 * is not running in a pod (disable_local_ca_jwt), although the test API server speaks plain
 * HTTP and never presents a certificate.
 */
export function testClusterCaCert(dir: string): string {
  const key = `${dir}/cluster-ca.key`;
  const cert = `${dir}/cluster-ca.crt`;
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=test-cluster-ca',
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`openssl could not make a test CA: ${result.stderr || result.error?.message}`);
  return readFileSync(cert, 'utf8');
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
