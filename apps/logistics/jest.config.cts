module.exports = {
  displayName: 'logistics',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  // One redis-server and one MongoDB stand-in per run (or the real servers in REDIS_URL / MONGO_URL).
  globalSetup: '<rootDir>/../../libs/local-stack/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/local-stack/src/jest/global-teardown.ts',
  testTimeout: 60_000,
  coverageDirectory: '../../coverage/apps/logistics',
};
