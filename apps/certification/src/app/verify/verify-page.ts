import { CERTIFICATE_STATUS_NAMES_ZH } from '@techan/common';
import { escapeXml } from '../../domain';
import type { VerifyView } from './verify-view';

const BANNER: Record<VerifyView['colour'], { title: string; text: string; background: string }> = {
  green: { title: '认证有效', text: '该产品认证状态正常，可放心购买。', background: '#2e7d32' },
  yellow: { title: '黄色警示', text: '该产品未通过年检，正在一个月整改期内，请谨慎购买。', background: '#f9a825' },
  red: { title: '红色警示', text: '该产品被发现质量风险，已暂停销售，请勿购买或食用。', background: '#c62828' },
  grey: { title: '认证无效', text: '该产品的认证已过期、暂停或撤销，目前不能作为认证产品销售。', background: '#616161' },
};

// A shopper scanning the code should read that a certificate under inspection is still valid.
const STATUS_ZH: Record<string, string> = { ...CERTIFICATE_STATUS_NAMES_ZH, inspection_due: '有效（年检中）' };

/** Shoppers read times in China Standard Time (UTC+8, no daylight saving), not UTC. */
const CST_OFFSET_MS = 8 * 3_600_000;
const cst = (iso: string) => new Date(new Date(iso).getTime() + CST_OFFSET_MS).toISOString();
const day = (iso: string) => cst(iso).slice(0, 10);
const minute = (iso: string) => cst(iso).replace('T', ' ').slice(0, 16);

/** The page a shopper sees after scanning the QR code: plain HTML, no scripts, readable on a phone. */
export function renderVerifyPage(view: VerifyView): string {
  const banner = BANNER[view.colour];
  const rows = view.certificates
    .map((c) => {
      const stars = c.level ? ` ${'★'.repeat(c.level)}${'☆'.repeat(5 - c.level)}` : '';
      const tier = c.tierName ? `（${escapeXml(c.tierName)}）` : '';
      return `<tr class="${c.colour}"><td>${escapeXml(c.markName)}${stars}${tier}</td><td>${escapeXml(c.number ?? '—')}</td><td>${day(c.validFrom)} 至 ${day(c.validUntil)}</td><td>${STATUS_ZH[c.status] ?? escapeXml(c.status)}</td></tr>`;
    })
    .join('');
  const summary = view.inspectionSummary;
  const last = summary.lastInspection
    ? `最近一次${summary.lastInspection.kind === 'annual' ? '年检' : '复检'}：${day(summary.lastInspection.at)}，${summary.lastInspection.passed ? '合格' : '不合格'}`
    : '暂无年检记录';
  const warnings = view.activeWarnings.length
    ? `<ul class="warnings">${view.activeWarnings.map((w) => `<li class="${w.colour}">${w.colour === 'red' ? '红色警示' : '黄色警示'}（${day(w.raisedAt)}）：${escapeXml(w.reason)}</li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(view.product.name)} - 产品认证查询</title>
<style>
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#222;background:#fafafa}
.banner{color:#fff;padding:20px;background:${banner.background}}
.banner h1{margin:0 0 6px;font-size:24px}
main{padding:16px;max-width:720px;margin:auto}
table{width:100%;border-collapse:collapse;background:#fff}
td,th{border:1px solid #ddd;padding:8px;font-size:14px;text-align:left}
tr.red td{color:#c62828}tr.yellow td{color:#8d6e00}tr.grey td{color:#757575}
li.red{color:#c62828}li.yellow{color:#8d6e00}
small{color:#757575}
</style>
</head>
<body>
<div class="banner" data-colour="${view.colour}"><h1>${banner.title}</h1><div>${banner.text}</div></div>
<main>
<h2>${escapeXml(view.product.name)}</h2>
<p>生产企业：${escapeXml(view.merchant.name ?? '（企业名称未登记）')}${view.lot ? `<br>批次：${escapeXml(view.lot)}` : ''}${view.product.gtin ? `<br>商品条码：${escapeXml(view.product.gtin)}` : ''}</p>
<table><thead><tr><th>认证标识</th><th>证书编号</th><th>有效期</th><th>状态</th></tr></thead><tbody>${rows || '<tr><td colspan="4">暂无认证</td></tr>'}</tbody></table>
<h3>检查记录</h3>
<p>年检合格 ${summary.annualPassed} 次，不合格 ${summary.annualFailed} 次，复检 ${summary.retests} 次。${last}</p>
${warnings}
${coldChainLine(view)}
<p><small>追溯码 ${escapeXml(view.traceCode)} · 查询时间 ${minute(view.checkedAt)}（北京时间）</small></p>
</main>
</body>
</html>`;
}

/** The latest delivery's cold chain: "全程冷链 ✓ −19.2 °C … −18.4 °C" (or the break, plainly). */
function coldChainLine(view: VerifyView): string {
  const last = view.coldChain?.[0];
  if (!last) return '';
  const range = `${last.minC.toFixed(1)} °C … ${last.maxC.toFixed(1)} °C`;
  return `<p class="cold-chain">${last.coldChainKept ? '全程冷链 ✓' : '运输途中温度异常 ✗'} ${range}<small>（${day(last.deliveredAt)} 配送）</small></p>`;
}
