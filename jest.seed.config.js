/**
 * Comparisons with the guide's manifests (`npm run test:seed`). They read the manifests' folder from
 * SEED_MANIFESTS_DIR (default: ../shared/seed/manifests beside the repository) and fail when it is missing.
 */
module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.seed.test.ts'],
  globalSetup: '<rootDir>/test/util/seed-setup.js',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }] },
};
