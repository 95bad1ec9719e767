import mongoose, { Connection } from 'mongoose';
import { freshMongoUri } from '../testing';

/**
 * One mongoose connection per test file on a fresh database (the stand-in, or a real MongoDB when
 * MONGO_URL is set); the database is dropped when the file finishes.
 */
export function useFreshConnection(prefix: string): () => Connection {
  let connection: Connection | undefined;
  beforeAll(async () => {
    connection = await mongoose.createConnection(freshMongoUri(prefix), { serverSelectionTimeoutMS: 5000 }).asPromise();
  });
  afterAll(async () => {
    if (!connection) return;
    await connection.dropDatabase();
    await connection.close();
  });
  return () => {
    if (!connection) throw new Error('connection not open yet');
    return connection;
  };
}
