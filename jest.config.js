/** Unit, snapshot and example tests. Integration tests live in jest.integration.config.js. */
module.exports = {
  testEnvironment: 'node',
  // jsii compiles lib/*.ts in place: resolve .ts before a possibly stale .js.
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    '\\.integ\\.test\\.ts$',
    '\\.seed\\.test\\.ts$',
    '\\.browser\\.test\\.ts$',
  ],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }] },
};
