/**
 * Browser tests (`npm run test:browser`): every example's start-up diagram rendered by Mermaid in Debian's
 * headless Chromium (apt-get install chromium). Not part of `npm test`.
 */
module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.test.ts'],
  testTimeout: 120000,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }] },
};
