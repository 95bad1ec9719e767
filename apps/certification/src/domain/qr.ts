import * as QRCode from 'qrcode';

/**
 * QR images for the trace link. Error correction M survives a scuffed label; the quiet zone of 4
 * modules is what scanners expect.
 */
const OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 4 };

export function qrPng(payload: string, widthPx = 512): Promise<Buffer> {
  return QRCode.toBuffer(payload, { ...OPTIONS, type: 'png', width: clampQrWidth(widthPx) });
}

export function qrSvg(payload: string, widthPx = 512): Promise<string> {
  return QRCode.toString(payload, { ...OPTIONS, type: 'svg', width: clampQrWidth(widthPx) });
}

/** Labels need 128-1024 px; bigger images only cost CPU (PNG encoding is pure JS). */
export function clampQrWidth(width: number): number {
  if (!Number.isFinite(width)) return 512;
  return Math.min(1024, Math.max(128, Math.round(width)));
}
