import { checkDecodedImage, imagePath, isUploadedImageRef, parseWidth } from './images';

describe('product image rules', () => {
  it('serves only the widths the front end asks for, the largest by default', () => {
    expect(parseWidth('320')).toBe(320);
    expect(parseWidth('800')).toBe(800);
    expect(parseWidth(undefined)).toBe(800);
    for (const bad of ['321', '0', '-320', '320.0', '1e3', 'abc', ['320', '800']]) {
      expect(() => parseWidth(bad)).toThrow('图片宽度只能是 320 或 800');
    }
  });

  it('tells uploaded image ids from links and builds the public path', () => {
    expect(isUploadedImageRef('img_mikf0c1a2b3c4d5e6f7')).toBe(true);
    expect(isUploadedImageRef('https://example.com/a.jpg')).toBe(false);
    expect(imagePath('img_mikf0c1a2b3c4d5e6f7')).toBe('/api/catalog/images/img_mikf0c1a2b3c4d5e6f7?w=320');
    expect(imagePath('https://example.com/a.jpg', 800)).toBe('https://example.com/a.jpg');
  });

  it('accepts decoded raster photos and refuses other formats, tiny and huge bitmaps', () => {
    expect(() => checkDecodedImage({ format: 'jpeg', width: 1200, height: 900 })).not.toThrow();
    expect(() => checkDecodedImage({ format: 'svg', width: 1200, height: 900 })).toThrow('不支持的图片格式（svg）');
    expect(() => checkDecodedImage({})).toThrow('不支持的图片格式');
    expect(() => checkDecodedImage({ format: 'png', width: 50, height: 900 })).toThrow('图片太小');
    expect(() => checkDecodedImage({ format: 'png', width: 10_000, height: 5_000 })).toThrow('像素过多');
  });
});
