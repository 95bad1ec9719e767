import { InvalidInputError } from './errors';

/** The widths the front end asks for (`/api/catalog/images/<id>?w=`): product cards 320, product page 800. */
export const IMAGE_WIDTHS = [320, 800] as const;
export type ImageWidth = (typeof IMAGE_WIDTHS)[number];

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Same cap as the product input's list of image links. */
export const MAX_IMAGES_PER_PRODUCT = 12;
/** Guards against decompression bombs: a small file that decodes to a huge bitmap. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Raster formats sharp decodes that a product photo may be in (SVG is not accepted: it can carry script). */
export const ACCEPTED_IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'gif', 'heif', 'tiff'] as const;

export const IMAGE_ID = /^img_[a-z0-9]{8,48}$/;

/** A stored image's reference in a product's `images`: either an uploaded image id or an https link. */
export function isUploadedImageRef(ref: string): boolean {
  return IMAGE_ID.test(ref);
}

/** The public path of an image variant on the site's origin (what carts and order lines show). */
export function imagePath(ref: string, width: ImageWidth = 320): string {
  return isUploadedImageRef(ref) ? `/api/catalog/images/${ref}?w=${width}` : ref;
}

/** `?w=` → one of the stored widths; absent means the largest. */
export function parseWidth(raw: unknown): ImageWidth {
  if (raw === undefined || raw === '') return IMAGE_WIDTHS[IMAGE_WIDTHS.length - 1];
  const n = typeof raw === 'string' && /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  const width = IMAGE_WIDTHS.find((w) => w === n);
  if (width === undefined) throw new InvalidInputError('w', `图片宽度只能是 ${IMAGE_WIDTHS.join(' 或 ')}`);
  return width;
}

/** What the bytes turned out to be (from the decoder, never from the file name or the declared type). */
export interface DecodedImageInfo {
  format?: string;
  width?: number;
  height?: number;
}

/** Accepts a decoded upload or says, in Chinese, why not. */
export function checkDecodedImage(info: DecodedImageInfo): void {
  if (!info.format || !(ACCEPTED_IMAGE_FORMATS as readonly string[]).includes(info.format)) {
    throw new InvalidInputError('file', `不支持的图片格式${info.format ? `（${info.format}）` : ''}，请上传 JPEG、PNG、WebP、AVIF、HEIF、GIF 或 TIFF 图片`);
  }
  if (!info.width || !info.height) throw new InvalidInputError('file', '无法读取图片尺寸');
  if (info.width < 100 || info.height < 100) throw new InvalidInputError('file', '图片太小，宽和高都至少需要 100 像素');
  if (info.width * info.height > MAX_IMAGE_PIXELS) throw new InvalidInputError('file', '图片像素过多（上限 4000 万像素）');
}
