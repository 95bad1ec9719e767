module.exports = {
  displayName: 'certification',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/apps/certification',
  // The HTTP/API tests run against the local stack: one MongoDB stand-in per run (or MONGO_URL).
  globalSetup: '<rootDir>/../../libs/mongo-standin/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/mongo-standin/src/jest/global-teardown.ts',
};
