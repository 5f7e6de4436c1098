// typescript-eslint with type information: floating promises and non-exhaustive switches are
// the two mistakes that silently lose a Graph result or an EWS status, so they are errors.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// The layers of the libs, each importing only downward (docs/architecture.md, "Layering"). A
// lib may import the index (@app/<lib>) of the libs listed for it, nothing else of the project:
//
//   apps/calendar-relay   binds the ports, registers the modules, installs the Fastify hooks
//   ews                   the EWS front end; its routes sit behind auth's bearer guard
//   auth, health          /token and the bearer guard (auth counts tokens into metrics); probes
//   graph, demo           the adapters of the AvailabilityProvider port; neither knows EWS
//   metrics, tracing      observability every layer may call: metrics implements the
//                         UpstreamObserver port; tracing sits below graph, whose client starts
//                         the CLIENT span of each getSchedule call
//   availability          the neutral model and the ports (the week's days from time-zones)
//   config, time-zones,   the ground: nothing of the project (request-context: what the relay
//   request-context       learns about one request, for the hooks, guard, EWS and tracing)
//
// ews never imports graph or demo (the app module binds the port); graph never imports ews.
const LIB_IMPORTS = {
  config: [],
  'time-zones': [],
  'request-context': [],
  availability: ['time-zones'],
  tracing: ['request-context'],
  metrics: ['availability', 'config', 'request-context'],
  graph: ['availability', 'config', 'tracing'],
  demo: ['availability', 'config', 'time-zones'],
  health: ['availability', 'config'],
  auth: ['config', 'metrics', 'request-context'],
  ews: ['auth', 'availability', 'config', 'metrics', 'request-context', 'time-zones', 'tracing'],
};
const LIBS = Object.keys(LIB_IMPORTS);

// no-restricted-imports sees import strings, not resolved files (and static imports only), so
// "a relative path out of the lib" is told by how far it climbs: from a file `depth` folders
// below the lib's root, `depth` times ../ reaches the root (its src/ and test/ are the lib's
// own) and one more leaves it. Hence one block per depth; the libs are two deep today.
const DEPTHS = [1, 2, 3, 4, 5, 6];

/** What a file `depth` folders below a part's root may not import. */
function refusedImports({ root, self, mayImport }, depth) {
  const otherLibs = LIBS.filter((lib) => lib !== self && !mayImport.includes(lib));
  const allowed =
    mayImport.length === 0
      ? `${root} imports nothing of the project`
      : `${root} may import only ${mayImport.map((lib) => `@app/${lib}`).join(', ')}`;
  const notFor = `nothing of ${self === undefined ? 'test/' : 'apps/ or test/'} is for ${root}`;
  return [
    self !== undefined &&
      otherLibs.length > 0 && {
        regex: `^@app/(${otherLibs.join('|')})$`,
        message: `${allowed} (the layers are listed in eslint.config.mjs).`,
      },
    self !== undefined && {
      regex: `^@app/${self}$`,
      message: `Within ${root}, import by a relative path: its index imports this file.`,
    },
    {
      regex: '^@app/[^/]+/',
      message: 'Import a lib through its index (@app/<lib>), not a file inside it.',
    },
    {
      regex: `^(\\.\\./){${depth + 1}}`,
      message: `This path leaves ${root}: reach a lib as @app/<lib>; ${notFor}.`,
    },
  ].filter(Boolean);
}

const PARTS = [
  ...Object.entries(LIB_IMPORTS).map(([lib, mayImport]) => ({
    root: `libs/${lib}`,
    self: lib,
    mayImport,
  })),
  { root: 'apps/calendar-relay', mayImport: LIBS },
];

const boundaries = PARTS.flatMap((part) =>
  DEPTHS.map((depth) => ({
    files: [`${part.root}/${'*/'.repeat(depth)}*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: refusedImports(part, depth) }] },
  })),
);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.tools/**',
      'eslint.config.mjs',
      'jest.config.js',
      'scripts/*.js',
      'test/clients/*.js',
      '**/*.py',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // A caught error passed on to reject() unchanged is `unknown`, as it is for `throw error`
      // (which only-throw-error allows by default). Without this the rule asks for `error as
      // Error`, which no-unnecessary-type-assertion (typescript-eslint 8.74) then refuses.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  ...boundaries,
);
