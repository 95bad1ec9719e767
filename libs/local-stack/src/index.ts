export * from './redis';
export * from './test-env';
