import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { memoryStorage } from 'multer';
import { Public, Roles } from '@techan/common';
import { MAX_IMAGE_BYTES, parseWidth } from '../../domain';
import { CurrentPrincipal } from '../../catalog/auth';
import { CatalogErrorFilter } from '../../catalog/errors';
import type { Principal } from '../../catalog/principal';
import { ImagesService } from './images.service';
import { UploadErrorFilter } from './upload-errors.filter';

/** An image id names immutable bytes (a new upload gets a new id), so caches may keep it for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

@UseFilters(CatalogErrorFilter, UploadErrorFilter)
@Controller('catalog')
export class ImagesController {
  constructor(@Inject(ImagesService) private readonly images: ImagesService) {}

  /** multipart/form-data with one file in field `file`; held in memory (≤ 5 MB) until decoded. */
  @Roles('merchant')
  @Post('products/:id/images')
  @UseInterceptors(FileInterceptor('file', { storage: memoryStorage(), limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 10, parts: 12 } }))
  upload(@CurrentPrincipal() p: Principal, @Param('id') productId: string, @UploadedFile() file: Express.Multer.File | undefined) {
    return this.images.upload(p, productId, file);
  }

  @Roles('merchant')
  @Get('products/:id/images')
  list(@CurrentPrincipal() p: Principal, @Param('id') productId: string) {
    return this.images.list(p, productId);
  }

  @Roles('merchant')
  @Delete('products/:id/images/:imageId')
  @HttpCode(204)
  async remove(@CurrentPrincipal() p: Principal, @Param('id') productId: string, @Param('imageId') imageId: string) {
    await this.images.remove(p, productId, imageId);
  }

  @Public()
  @Get('images/:imageId')
  async serve(@Param('imageId') imageId: string, @Query('w') w: unknown, @Res() res: Response) {
    const width = parseWidth(w);
    const image = await this.images.read(imageId, width);
    res
      .status(200)
      .setHeader('Content-Type', image.contentType)
      .setHeader('Cache-Control', IMMUTABLE)
      .setHeader('X-Content-Type-Options', 'nosniff')
      .setHeader('Content-Length', String(image.bytes.length))
      .end(image.bytes);
  }
}
