// Two projects: unit specs live beside the pure code they test; e2e suites in test/ run the
// real app (configureApp) against local emulators. Both use ts-jest in CommonJS mode, as the
// build does; the ESM-only packages (the Nest 12 line, @nestjs/*) are loaded from that
// CommonJS through Jest's require(esm), as Node's own require(esm) loads them in production.
// Jest does that on Node 24.9+ started with --experimental-vm-modules
// (https://jestjs.io/docs/ecmascript-modules#require-of-esm); the npm test scripts pass it.
// Started any other way, say so in one line rather than with 70 suites failing ERR_REQUIRE_ESM.
if (typeof require('node:vm').SourceTextModule?.prototype.hasAsyncGraph !== 'function') {
  throw new Error(
    `jest needs Node.js 24.9+ with --experimental-vm-modules to load the ESM-only Nest packages (this is ${process.version}): use npm test -- <paths>, or NODE_OPTIONS=--experimental-vm-modules npx jest <paths>`,
  );
}

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
