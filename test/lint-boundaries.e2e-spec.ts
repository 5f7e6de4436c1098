import { resolve } from 'node:path';
import { ESLint } from 'eslint';

/**
 * The boundary lint of eslint.config.mjs (no-restricted-imports, one block per lib): what
 * `npm run lint` tells a developer whose lib imports upward, into another lib, or from test/.
 * Only that rule runs, and without type information: the snippets are linted as if they stood
 * at paths that do not exist, which TypeScript's project service would refuse to type.
 */

const eslint = new ESLint({
  cwd: resolve(__dirname, '..'),
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

interface Finding {
  readonly ruleId: string | null;
  readonly message: string;
}

interface Snippet {
  /** Where the snippet is linted as if it stood there. */
  readonly filePath: string;
  readonly code: string;
}

const LAYERS = '(the layers are listed in eslint.config.mjs).';

/** Imports the rule refuses, each with the reason a developer reads after the import. */
const REFUSED: Readonly<Record<string, Snippet & { readonly why: string }>> = {
  'an upward import: time-zones is the ground': {
    filePath: 'libs/time-zones/src/x.ts',
    code: "import type { BusyStatus } from '@app/availability';",
    why: `libs/time-zones imports nothing of the project ${LAYERS}`,
  },
  'an adapter in the EWS front end: the app binds the port': {
    filePath: 'libs/ews/src/x.ts',
    code: "import { DemoAvailabilityProvider } from '@app/demo';",
    why: `libs/ews may import only @app/auth, @app/availability, @app/config, @app/metrics, @app/request-context, @app/time-zones, @app/tracing ${LAYERS}`,
  },
  'the EWS front end in the Graph adapter, re-exported': {
    filePath: 'libs/graph/src/x.ts',
    code: "export { EwsModule } from '@app/ews';",
    why: `libs/graph may import only @app/availability, @app/config, @app/tracing ${LAYERS}`,
  },
  'a file inside another lib by its alias': {
    filePath: 'libs/ews/src/x.ts',
    code: "import { planScheduleChunks } from '@app/graph/src/lookup/schedule-plan';",
    why: 'Import a lib through its index (@app/<lib>), not a file inside it.',
  },
  'a file inside another lib by a relative path': {
    filePath: 'libs/ews/src/free-busy/x.ts',
    code: "import { planScheduleChunks } from '../../../graph/src/lookup/schedule-plan';",
    why: 'This path leaves libs/ews: reach a lib as @app/<lib>; nothing of apps/ or test/ is for libs/ews.',
  },
  "the root test/ in a lib's spec": {
    filePath: 'libs/ews/src/xml/x.spec.ts',
    code: "import { soapEnvelope } from '../../../../test/support/soap';",
    why: 'This path leaves libs/ews: reach a lib as @app/<lib>; nothing of apps/ or test/ is for libs/ews.',
  },
  "a lib's own index": {
    filePath: 'libs/ews/src/operations/x.ts',
    code: "import { EwsFault } from '@app/ews';",
    why: 'Within libs/ews, import by a relative path: its index imports this file.',
  },
};

/** Imports the layers allow. */
const ALLOWED: Readonly<Record<string, Snippet>> = {
  "the EWS front end's own layers and files": {
    filePath: 'libs/ews/src/free-busy/x.ts',
    code: [
      "import type { MailboxAvailability } from '@app/availability';",
      "import { UTC_ZONE } from '@app/time-zones';",
      "import { EwsFault } from '../ews-fault';",
    ].join('\n'),
  },
  "a spec's support in its lib's test/ folder": {
    filePath: 'libs/ews/src/xml/x.spec.ts',
    code: "import { xml2jsElementTree } from '../../test/xml2js-element-tree';",
  },
  'any lib in the app': {
    filePath: 'apps/calendar-relay/src/cli/x.ts',
    code: "import { GraphScheduleClient } from '@app/graph';\nimport { configureApp } from '../configure-app';",
  },
};

async function lint({ filePath, code }: Snippet): Promise<Finding[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath });
  return result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

describe('the boundary lint (eslint.config.mjs)', () => {
  it.each(Object.keys(REFUSED))('refuses %s', async (name) => {
    const { code, why } = REFUSED[name];
    const source = /from '([^']+)'/.exec(code)![1];
    expect(await lint(REFUSED[name])).toEqual([
      {
        ruleId: 'no-restricted-imports',
        message: `'${source}' import is restricted from being used by a pattern. ${why}`,
      },
    ]);
  });

  it.each(Object.keys(ALLOWED))('allows %s', async (name) => {
    expect(await lint(ALLOWED[name])).toEqual([]);
  });
});
