import { Module } from '@nestjs/common';
import { CoreModule } from '@techan/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CATALOG_SERVICE } from '../service';
import { ImagesModule } from './images/images.module';

const catalog = CatalogModule.register();

@Module({
  imports: [CoreModule.forRoot(CATALOG_SERVICE), catalog, ImagesModule.register(catalog)],
})
export class AppModule {}
