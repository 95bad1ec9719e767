export * from './lib/dispatch-solver';
