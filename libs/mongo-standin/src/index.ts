export * from './lib/mongo-standin';
