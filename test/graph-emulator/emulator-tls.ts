import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The emulator's certificate, made for this test run by with-test-ca.sh, whose CA the process
 * trusts through NODE_EXTRA_CA_CERTS (read by Node at start-up only, hence the wrapper).
 */
export function emulatorTls(): { key: Buffer; cert: Buffer } {
  const dir = process.env.GRAPH_EMULATOR_TLS_DIR;
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  if (dir === undefined || extraCa === undefined || !existsSync(join(dir, 'server.pem'))) {
    throw new Error(
      'The Graph emulator needs a TLS certificate its client trusts. Run the tests through ' +
        'test/graph-emulator/with-test-ca.sh (as `npm test` does), e.g. ' +
        '`bash test/graph-emulator/with-test-ca.sh npx jest test/graph-`.',
    );
  }
  return {
    key: readFileSync(join(dir, 'server.key')),
    cert: readFileSync(join(dir, 'server.pem')),
  };
}
