import { readFileSync } from 'node:fs';
import fastify from 'fastify';

/**
 * The baseline: a bare Fastify server on the same loopback, answering every POST with a
 * pre-rendered response of the same bytes the relay sent for the scenario (so the HTTP, socket
 * and body-transfer costs are the same and everything the relay adds on top is its own work).
 *   node ... bare-server.ts <port> <response-file>
 */
async function main(): Promise<void> {
  const [port, file] = process.argv.slice(-2);
  const body = readFileSync(file);
  const app = fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, raw, done) => done(null, raw));
  const answer = (
    _req: unknown,
    reply: { header(k: string, v: string): unknown; send(b: Buffer): unknown },
  ) => {
    reply.header('content-type', 'text/xml; charset=utf-8');
    return reply.send(body);
  };
  app.post('/', answer);
  app.post('/EWS/Exchange.asmx', answer);
  await app.listen({ port: Number(port), host: '127.0.0.1' });
  process.on('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bare server: ${String(error)}\n`);
  process.exit(1);
});
