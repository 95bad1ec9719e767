export * from './redis';
export * from './health';
export * from './test-env';
export * from './stripe';
