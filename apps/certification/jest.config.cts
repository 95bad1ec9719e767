module.exports = {
  displayName: 'certification',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/apps/certification',
  // The API tests run against the local stack: one redis-server and one MongoDB stand-in per run.
  globalSetup: '<rootDir>/../../libs/local-stack/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/local-stack/src/jest/global-teardown.ts',
  // The machine may be shared: CPU-bound unit tests (QR PNG encoding) get room beyond Jest's 5 s.
  testTimeout: 30_000,
};
