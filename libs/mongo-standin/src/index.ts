export { startMongoStandin } from './lib/server';
export type { MongoStandinOptions, RunningMongoStandin } from './lib/server';
export { freshMongoUri, TEST_MONGO_URL_ENV } from './testing';
