export * from './redis';
export * from './health';
export * from './test-env';
export * from './kafka';
export * from './local-kafka';
export * from './stripe';
export * from './certification-status';
