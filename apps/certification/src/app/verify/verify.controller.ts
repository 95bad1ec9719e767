import { Controller, Get, Header, NotFoundException, Param, Res, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '@techan/common';
import type { Response } from 'express';
import { normaliseGtin, validateLot } from '../../domain';
import { renderVerifyPage } from './verify-page';
import { VerifyService } from './verify.service';

/**
 * Public, unauthenticated verification. JSON for apps (`/verify/:code`), a zh-CN page for a
 * person who scanned the QR code (`/t/:code`, `/v/:code`, `/01/:gtin[/10/:lot]`). Rate-limited
 * per client by the throttler.
 */
@Public()
@Controller()
@UseGuards(ThrottlerGuard)
export class VerifyController {
  constructor(private readonly verify: VerifyService) {}

  @Get('verify/:code')
  json(@Param('code') code: string) {
    return this.verify.byCode(code);
  }

  @Get(['t/:code', 'v/:code'])
  @Header('Cache-Control', 'no-store')
  async page(@Param('code') code: string, @Res() response: Response) {
    await this.sendPage(response, () => this.verify.byCode(code));
  }

  @Get('01/:gtin')
  async gtinPage(@Param('gtin') gtin: string, @Res() response: Response) {
    await this.sendPage(response, () => this.verify.byGtin(this.gtin(gtin), undefined));
  }

  @Get('01/:gtin/10/:lot')
  async gtinLotPage(@Param('gtin') gtin: string, @Param('lot') lot: string, @Res() response: Response) {
    const valid = validateLot(lot);
    if (!valid.ok) throw new NotFoundException(valid.rejection.message);
    await this.sendPage(response, () => this.verify.byGtin(this.gtin(gtin), valid.value));
  }

  private gtin(input: string): string {
    const gtin = normaliseGtin(input);
    if (!gtin.ok) throw new NotFoundException(gtin.rejection.message);
    return gtin.value;
  }

  private async sendPage(response: Response, load: () => Promise<Parameters<typeof renderVerifyPage>[0]>) {
    try {
      const view = await load();
      response.status(200).type('html').setHeader('Cache-Control', 'no-store').send(renderVerifyPage(view));
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
      response.status(404).type('html').send(notFoundPage(String((error.getResponse() as { message?: string }).message ?? '')));
    }
  }
}

/** A trivial endpoint in the same app, for the benchmark's baseline. */
@Public()
@Controller('ping')
@SkipThrottle()
export class PingController {
  @Get()
  ping() {
    return { ok: true };
  }
}

function notFoundPage(message: string): string {
  const safe = message.replace(/[<>&"']/g, '');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>未找到认证记录</title></head><body style="font-family:sans-serif;padding:20px"><h1 style="color:#c62828">未找到认证记录</h1><p>${safe}</p><p>该二维码可能不是本平台签发的，请谨防假冒。</p></body></html>`;
}
