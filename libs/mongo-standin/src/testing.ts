import { randomBytes } from 'node:crypto';

/** Environment variable through which the Jest global setup publishes the stand-in's URI. */
export const TEST_MONGO_URL_ENV = 'TECHAN_TEST_MONGO_URL';

/** MongoDB database names are limited to 63 bytes and a restricted character set. */
function databaseName(prefix: string): string {
  const clean = prefix.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40) || 'db';
  return `test_${clean}_${randomBytes(6).toString('hex')}`;
}

/** Replaces (or adds) the database path of a mongodb:// URI, keeping hosts and options. */
export function withDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`not a mongodb:// connection string: ${uri}`);
  return `${match[1]}/${dbName}${match[3] ?? ''}`;
}

/**
 * A fresh database URI for one test file: MONGO_URL (a real server) or the stand-in started by the
 * Jest global setup (TECHAN_TEST_MONGO_URL), with a unique database name like test_<prefix>_<random>.
 */
export function freshMongoUri(prefix: string): string {
  const base = process.env['MONGO_URL'] || process.env[TEST_MONGO_URL_ENV];
  if (!base) {
    throw new Error(
      `freshMongoUri: neither MONGO_URL nor ${TEST_MONGO_URL_ENV} is set; add libs/mongo-standin/src/jest/global-setup.ts ` +
        'and global-teardown.ts as globalSetup/globalTeardown in the jest config',
    );
  }
  return withDatabase(base, databaseName(prefix));
}
