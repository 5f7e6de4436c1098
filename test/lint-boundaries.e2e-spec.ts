import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The boundary lint of eslint.config.mjs (no-restricted-imports, one block per lib): what
 * `npm run lint` tells a developer whose lib imports upward, into another lib, or from test/.
 *
 * ESLint's Node API runs in a node process of its own, because ESLint loads the config with
 * import(), which jest's CommonJS runtime refuses without --experimental-vm-modules. Only the
 * boundary rule runs, without type information: the snippets are linted as if they stood at
 * paths that do not exist, which TypeScript's project service would refuse to type.
 */

const ROOT = resolve(__dirname, '..');

const LINT_SNIPPETS = `
import { ESLint } from 'eslint';
const eslint = new ESLint({
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});
const findings = [];
for (const { filePath, code } of JSON.parse(process.env.SNIPPETS)) {
  const [result] = await eslint.lintText(code, { filePath });
  findings.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(findings));
`;

interface Finding {
  readonly ruleId: string | null;
  readonly message: string;
}

const SNIPPETS = {
  upward: ['libs/time-zones/src/x.ts', "import type { BusyStatus } from '@app/availability';"],
  ewsToAdapter: ['libs/ews/src/x.ts', "import { DemoAvailabilityProvider } from '@app/demo';"],
  graphToEws: ['libs/graph/src/x.ts', "export { EwsModule } from '@app/ews';"],
  deepAlias: [
    'libs/ews/src/x.ts',
    "import { planScheduleChunks } from '@app/graph/src/schedule-plan';",
  ],
  deepRelative: [
    'libs/ews/src/free-busy/x.ts',
    "import { planScheduleChunks } from '../../../graph/src/schedule-plan';",
  ],
  rootTest: [
    'libs/ews/src/xml/x.spec.ts',
    "import { soapEnvelope } from '../../../../test/support/soap';",
  ],
  ownIndex: ['libs/ews/src/operations/x.ts', "import { EwsFault } from '@app/ews';"],
  legalLib: [
    'libs/ews/src/free-busy/x.ts',
    [
      "import type { MailboxAvailability } from '@app/availability';",
      "import { UTC_ZONE } from '@app/time-zones';",
      "import { EwsFault } from '../ews-fault';",
    ].join('\n'),
  ],
  legalSpecSupport: [
    'libs/ews/src/xml/x.spec.ts',
    "import { xml2jsElementTree } from '../../test/xml2js-element-tree';",
  ],
  legalApp: [
    'apps/calendar-relay/src/cli/x.ts',
    "import { GraphScheduleClient } from '@app/graph';\nimport { configureApp } from '../configure-app';",
  ],
} as const;

type SnippetName = keyof typeof SNIPPETS;

async function lintSnippets(): Promise<Record<SnippetName, Finding[]>> {
  const names = Object.keys(SNIPPETS) as SnippetName[];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', LINT_SNIPPETS],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        SNIPPETS: JSON.stringify(
          names.map((name) => ({ filePath: SNIPPETS[name][0], code: `${SNIPPETS[name][1]}\n` })),
        ),
      },
    },
  );
  const findings = JSON.parse(stdout) as Finding[][];
  return Object.fromEntries(names.map((name, i) => [name, findings[i]])) as Record<
    SnippetName,
    Finding[]
  >;
}

describe('the boundary lint (eslint.config.mjs)', () => {
  let findings: Record<SnippetName, Finding[]>;
  beforeAll(async () => {
    findings = await lintSnippets();
  });

  const refusal = (message: string) => [{ ruleId: 'no-restricted-imports', message }];

  it('refuses an upward import: time-zones is the ground', () => {
    expect(findings.upward).toEqual(
      refusal(
        "'@app/availability' import is restricted from being used by a pattern. libs/time-zones imports nothing of the project (the layers are listed in eslint.config.mjs).",
      ),
    );
  });

  it('keeps the EWS front end and the adapters apart: the app binds the port', () => {
    expect(findings.ewsToAdapter).toEqual(
      refusal(
        "'@app/demo' import is restricted from being used by a pattern. libs/ews may import only @app/auth, @app/availability, @app/config, @app/metrics, @app/time-zones, @app/tracing (the layers are listed in eslint.config.mjs).",
      ),
    );
    expect(findings.graphToEws).toEqual(
      refusal(
        "'@app/ews' import is restricted from being used by a pattern. libs/graph may import only @app/availability, @app/config, @app/tracing (the layers are listed in eslint.config.mjs).",
      ),
    );
  });

  it('refuses a deep import into another lib, by alias or by relative path', () => {
    expect(findings.deepAlias).toEqual(
      refusal(
        "'@app/graph/src/schedule-plan' import is restricted from being used by a pattern. Import a lib through its index (@app/<lib>), not a file inside it.",
      ),
    );
    expect(findings.deepRelative).toEqual(
      refusal(
        "'../../../graph/src/schedule-plan' import is restricted from being used by a pattern. This path leaves libs/ews: reach a lib as @app/<lib>; nothing of apps/ or test/ is for libs/ews.",
      ),
    );
  });

  it('refuses a lib the root test/ and its own index', () => {
    expect(findings.rootTest.map((f) => f.ruleId)).toEqual(['no-restricted-imports']);
    expect(findings.rootTest[0].message).toContain('This path leaves libs/ews');
    expect(findings.ownIndex.map((f) => f.message)).toEqual([
      "'@app/ews' import is restricted from being used by a pattern. Within libs/ews, import by a relative path: its index imports this file.",
    ]);
  });

  it("lets through the layers' own imports, a lib's own test folder and the app's imports", () => {
    expect(findings.legalLib).toEqual([]);
    expect(findings.legalSpecSupport).toEqual([]);
    expect(findings.legalApp).toEqual([]);
  });
});
