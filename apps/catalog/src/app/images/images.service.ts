import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import sharp from 'sharp';
import {
  checkDecodedImage,
  IMAGE_ID,
  IMAGE_WIDTHS,
  imagePath,
  InvalidInputError,
  isUploadedImageRef,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_PIXELS,
  MAX_IMAGES_PER_PRODUCT,
  type ImageWidth,
} from '../../domain';
import { NotFoundError } from '../../catalog/errors';
import type { Principal } from '../../catalog/principal';
import { ProductsService } from '../../catalog/products.service';
import { IMAGE_STORE, type ImageStore, type StoredVariant } from './image-store';

/** What the merchant console shows for one image of a product. */
export interface ProductImageView {
  id: string;
  /** true for an uploaded image (served here), false for an external https link */
  uploaded: boolean;
  urls: Record<`w${ImageWidth}`, string>;
}

const OUTPUT_TYPE = 'image/webp';

export function newImageId(): string {
  return `img_${Date.now().toString(36)}${randomBytes(8).toString('hex')}`;
}

/** Uploads (decode, check, resize, store), lists, serves and removes product images. */
@Injectable()
export class ImagesService {
  private readonly logger = new Logger('ProductImages');

  constructor(
    @Inject(ProductsService) private readonly products: ProductsService,
    @Inject(IMAGE_STORE) private readonly store: ImageStore,
  ) {}

  async upload(principal: Principal, productId: string, file: { buffer: Buffer; size: number } | undefined): Promise<ProductImageView> {
    const product = await this.products.ownedProduct(principal, productId);
    if (!file || !Buffer.isBuffer(file.buffer) || file.size === 0) throw new InvalidInputError('file', '请选择要上传的图片（表单字段 file）');
    // Multer's limit stops the stream first; this guards other callers of the service.
    if (file.size > MAX_IMAGE_BYTES) throw new InvalidInputError('file', '图片不能超过 5 MB');
    if (product.images.length >= MAX_IMAGES_PER_PRODUCT) throw new InvalidInputError('file', `每个产品最多 ${MAX_IMAGES_PER_PRODUCT} 张图片，请先删除不需要的图片`);

    const variants = await renditions(file.buffer);
    const imageId = newImageId();
    await this.store.put(imageId, variants, { productId: product._id, merchantId: product.merchantId });
    try {
      await this.products.setImages(product, [...product.images, imageId]);
    } catch (error) {
      // The product did not take it (e.g. edited meanwhile): leave no orphaned bytes behind.
      await this.store.remove(imageId).catch((e: unknown) => this.logger.warn({ msg: 'orphaned image not removed', imageId, reason: String(e) }));
      throw error;
    }
    this.logger.log({ msg: 'image uploaded', productId: product._id, imageId, bytes: file.size });
    return view(imageId);
  }

  async list(principal: Principal, productId: string): Promise<ProductImageView[]> {
    const product = await this.products.ownedProduct(principal, productId);
    return product.images.map(view);
  }

  async remove(principal: Principal, productId: string, imageId: string): Promise<void> {
    const product = await this.products.ownedProduct(principal, productId);
    if (!product.images.includes(imageId)) throw new NotFoundError('图片');
    await this.products.setImages(
      product,
      product.images.filter((ref) => ref !== imageId),
    );
    if (isUploadedImageRef(imageId)) await this.store.remove(imageId);
    this.logger.log({ msg: 'image removed', productId: product._id, imageId });
  }

  async read(imageId: string, width: ImageWidth): Promise<StoredVariant> {
    if (typeof imageId !== 'string' || !IMAGE_ID.test(imageId)) throw new NotFoundError('图片');
    const found = await this.store.get(imageId, width);
    if (!found) throw new NotFoundError('图片');
    return found;
  }
}

/** Decodes the bytes (whatever the name or declared type says) and renders every served width as WebP. */
async function renditions(bytes: Buffer): Promise<Map<number, StoredVariant>> {
  const options = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' as const };
  const info = await sharp(bytes, options)
    .metadata()
    .catch(() => {
      throw new InvalidInputError('file', '文件不是可识别的图片，请上传 JPEG、PNG 或 WebP 图片');
    });
  checkDecodedImage(info);
  const out = new Map<number, StoredVariant>();
  for (const width of IMAGE_WIDTHS) {
    try {
      // rotate() applies the EXIF orientation (phone photos); metadata (GPS etc.) is not copied.
      const resized = await sharp(bytes, options).rotate().resize({ width, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
      out.set(width, { bytes: resized, contentType: OUTPUT_TYPE });
    } catch {
      throw new InvalidInputError('file', '图片已损坏，无法处理');
    }
  }
  return out;
}

function view(ref: string): ProductImageView {
  return { id: ref, uploaded: isUploadedImageRef(ref), urls: { w320: imagePath(ref, 320), w800: imagePath(ref, 800) } };
}
