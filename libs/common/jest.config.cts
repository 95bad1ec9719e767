module.exports = {
  displayName: 'common',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/libs/common',
  // One MongoDB stand-in and one redis-server per run (or the real servers in MONGO_URL / REDIS_URL).
  globalSetup: '<rootDir>/../local-stack/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../local-stack/src/jest/global-teardown.ts',
  testTimeout: 60_000,
};
