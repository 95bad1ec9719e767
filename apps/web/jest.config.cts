module.exports = {
  displayName: 'web',
  preset: '../../jest.preset.js',
  // Unit tests cover the front end's plain modules (API errors, navigation, formatting); pages are
  // tested in a real browser by e2e/ against the built front end behind the edge.
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js'],
  coverageDirectory: '../../coverage/apps/web',
};
