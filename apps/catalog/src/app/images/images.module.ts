import { type DynamicModule, Module } from '@nestjs/common';
import { GridFsImageStore, IMAGE_STORE } from './image-store';
import { ImagesController } from './images.controller';
import { ImagesService } from './images.service';

/**
 * Product images: upload (merchants, own products), resize, store, serve. Uses the catalogue's
 * ProductsService (ownership, the product's image list and its event), so it imports the very
 * CatalogModule instance the app registered.
 */
@Module({})
export class ImagesModule {
  static register(catalog: DynamicModule): DynamicModule {
    return {
      module: ImagesModule,
      imports: [catalog],
      controllers: [ImagesController],
      providers: [{ provide: IMAGE_STORE, useClass: GridFsImageStore }, ImagesService],
    };
  }
}
