import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PRODUCT, type ProductDoc } from '../persistence/schemas';

/**
 * Stored values from before the shared vocabulary (libs/common contracts/vocabulary.ts): the catalogue
 * called the middle quality tier `midrange`, every other service `mid`. Rewritten once at start-up;
 * a no-op when nothing old is left.
 */
@Injectable()
export class VocabularyMigration implements OnApplicationBootstrap {
  private readonly logger = new Logger(VocabularyMigration.name);

  constructor(@InjectModel(PRODUCT) private readonly products: Model<ProductDoc>) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
  }

  async run(): Promise<number> {
    const res = await this.products.updateMany({ tier: 'midrange' }, { $set: { tier: 'mid' } }).exec();
    if (res.modifiedCount) this.logger.log(`quality tier midrange → mid on ${res.modifiedCount} products`);
    return res.modifiedCount;
  }
}
