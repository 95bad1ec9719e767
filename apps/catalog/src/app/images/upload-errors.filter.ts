import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, PayloadTooLargeException } from '@nestjs/common';
import type { Response } from 'express';

/** multer/busboy's English messages (as Nest passes them on), said in Chinese for the merchant console. */
const MULTIPART_ZH: Record<string, string> = {
  'File too large': '图片不能超过 5 MB',
  'Too many files': '一次只能上传一张图片',
  'Unexpected file field': '图片应放在表单字段 file 中',
  'Too many parts': '表单字段过多',
  'Too many fields': '表单字段过多',
  'Field value too long': '表单字段过长',
  'Field name too long': '表单字段名过长',
  'Multipart: Boundary not found': '上传格式错误（缺少 multipart 分隔符）',
  'Malformed part header': '上传格式错误',
  'Unexpected end of form': '上传不完整，请重试',
  'Unexpected end of file': '上传不完整，请重试',
};

/** Upload routes: multer's refusals (size, field names, broken multipart) become Chinese 4xx answers. */
@Catch(PayloadTooLargeException, BadRequestException)
export class UploadErrorFilter implements ExceptionFilter {
  catch(exception: PayloadTooLargeException | BadRequestException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = exception.getStatus();
    // Nest appends " - <field>" or prefixes "Multipart: " to multer's and busboy's messages.
    const key = exception.message.replace(/ - [^-]*$/, '').replace(/^Multipart: (?!Boundary)/, '');
    const zh = MULTIPART_ZH[key] ?? (status === 413 ? '图片不能超过 5 MB' : '上传请求无效');
    res.status(status).json({ statusCode: status, error: status === 413 ? 'too_large' : 'invalid_input', field: 'file', message: zh });
  }
}
