// Two projects: unit specs live beside the pure code they test; e2e suites in test/ run the
// real app (configureApp) against local emulators. Both use ts-jest in CommonJS mode (the
// Nest 11 line; see docs/architecture.md, "Versions", on why not Nest 12/ESM).
// @app/<lib> is libs/<lib>/src (its index), as tsconfig.json's paths say; nothing deeper.
const moduleNameMapper = { '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src' };
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };

module.exports = {
  // e2e suites start servers and real clients; unit specs finish far below this.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
      moduleNameMapper,
      transform,
    },
    {
      displayName: 'e2e',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      moduleNameMapper,
      transform,
    },
  ],
};
