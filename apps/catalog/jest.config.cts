module.exports = {
  displayName: 'catalog',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/apps/catalog',
  // redis-server + MongoDB stand-in per run (or REDIS_URL / MONGO_URL when set).
  globalSetup: '<rootDir>/../../libs/local-stack/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/local-stack/src/jest/global-teardown.ts',
  testTimeout: 60_000,
};
