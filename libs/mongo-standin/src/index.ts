export { startMongoStandin } from './lib/server';
export type { MongoStandinOptions, RunningMongoStandin } from './lib/server';
export { freshMongoUri, withDatabase, TEST_MONGO_URL_ENV } from './testing';
