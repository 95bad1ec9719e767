import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { mongo, type Connection } from 'mongoose';

/** One stored rendition of an image (a given width). */
export interface StoredVariant {
  bytes: Buffer;
  contentType: string;
}

/**
 * Where image bytes live. GridFS today; an object store (S3, OSS, MinIO) can replace it by
 * implementing these three calls, nothing else in the catalogue touches the bytes.
 */
export interface ImageStore {
  /** Stores every rendition of one image; all or nothing (a failure removes what was written). */
  put(imageId: string, variants: ReadonlyMap<number, StoredVariant>, meta: { productId: string; merchantId: string }): Promise<void>;
  get(imageId: string, width: number): Promise<StoredVariant | undefined>;
  remove(imageId: string): Promise<void>;
}

export const IMAGE_STORE = Symbol('IMAGE_STORE');

const BUCKET = 'images';

/** MongoDB GridFS, through the catalogue's own connection (its database, its replica set). */
@Injectable()
export class GridFsImageStore implements ImageStore {
  private bucketInstance?: mongo.GridFSBucket;

  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get bucket(): mongo.GridFSBucket {
    // The connection's db exists once it is open; Nest opens it before any request arrives.
    this.bucketInstance ??= new mongo.GridFSBucket(this.connection.db as unknown as mongo.Db, { bucketName: BUCKET });
    return this.bucketInstance;
  }

  async put(imageId: string, variants: ReadonlyMap<number, StoredVariant>, meta: { productId: string; merchantId: string }): Promise<void> {
    try {
      for (const [width, v] of variants) {
        await new Promise<void>((resolve, reject) => {
          const upload = this.bucket.openUploadStream(fileName(imageId, width), {
            metadata: { imageId, width, contentType: v.contentType, productId: meta.productId, merchantId: meta.merchantId },
          });
          upload.once('error', reject).once('finish', () => resolve());
          upload.end(v.bytes);
        });
      }
    } catch (error) {
      await this.remove(imageId).catch(() => undefined);
      throw error;
    }
  }

  async get(imageId: string, width: number): Promise<StoredVariant | undefined> {
    const [file] = await this.bucket.find({ filename: fileName(imageId, width) }, { limit: 1 }).toArray();
    if (!file) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket.openDownloadStream(file._id)) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks), contentType: String(file.metadata?.['contentType'] ?? 'application/octet-stream') };
  }

  async remove(imageId: string): Promise<void> {
    const files = await this.bucket.find({ 'metadata.imageId': imageId }).toArray();
    for (const f of files) await this.bucket.delete(f._id);
  }
}

function fileName(imageId: string, width: number): string {
  return `${imageId}/w${width}`;
}
