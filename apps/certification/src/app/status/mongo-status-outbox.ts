import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { ClientSession, Connection } from 'mongoose';
import type { StatusOutbox } from '../tokens';
import type { StatusEventEnvelope } from './envelope';

export const OUTBOX_COLLECTION = 'outbox';

/** Writes status events to the `outbox` collection inside the caller's transaction. */
@Injectable()
export class MongoStatusOutbox implements StatusOutbox {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async enqueue(event: StatusEventEnvelope, session: ClientSession): Promise<void> {
    await this.connection.collection(OUTBOX_COLLECTION).insertOne(
      { _id: event.id as never, type: event.type, subject: event.subject, envelope: event, createdAt: new Date(event.time), publishedAt: null },
      { session },
    );
  }
}
