import { Module } from '@nestjs/common';
import { CoreModule } from '@techan/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CATALOG_SERVICE } from '../service';

@Module({
  imports: [CoreModule.forRoot(CATALOG_SERVICE), CatalogModule.register()],
})
export class AppModule {}
