import { Controller, Get, Header, Inject, Param, Query, UseFilters } from '@nestjs/common';
import { Public } from '@techan/common';
import { categoryTree, HALLS, InvalidInputError, PRICE_INDEX_GROUPS, SORTS } from '../domain';
import { CatalogErrorFilter } from './errors';
import { PriceIndexService } from './price-index.service';
import { SearchService, type ProductCard } from './search.service';

const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const SORT_ZH: Record<(typeof SORTS)[number], string> = { relevance: '相关度', price_asc: '价格从低到高', price_desc: '价格从高到低', newest: '最新上架', star: '星级' };

const SITE = '开平优品馆';

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title === SITE ? SITE : `${title} · ${SITE}`)}</title>
<style>
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;background:#f7f4ee;color:#222}
header{background:#8b1a1a;color:#fff;padding:10px 16px;display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 14px}
header a,header strong{color:#fff;text-decoration:none;white-space:nowrap}
.scope{color:#555;font-size:14px}
header a.on{border-bottom:2px solid #ffd27a}main{max-width:1080px;margin:0 auto;padding:16px}
form.search{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}form.search input,form.search select{padding:6px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:12px;box-shadow:0 1px 3px #0002}.card a{color:#222;text-decoration:none}
.price{color:#c0392b;font-weight:bold}.tag{display:inline-block;font-size:12px;background:#fbeee0;border-radius:4px;padding:1px 6px;margin:2px}
.blocked{background:#fdecea;border:1px solid #e74c3c;color:#a93226;padding:12px;border-radius:6px}
.notice{background:#fff8e1;border:1px solid #f1c40f;padding:10px;border-radius:6px}
button.buy{background:#c0392b;color:#fff;border:0;padding:10px 24px;border-radius:6px;font-size:16px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px}
</style></head><body>
<header><strong>${SITE}</strong><a href="/hall">全部</a>${HALLS.map((h) => `<a href="/hall?hall=${esc(h.id)}">${esc(h.nameZh)}</a>`).join('')}
<a href="/hall/price-index">价格指数</a></header>
<main>${body}</main></body></html>`;
}

function card(p: ProductCard): string {
  return `<div class="card"><a href="/hall/products/${esc(p.id)}"><div><strong>${esc(p.name)}</strong></div>
<div class="price">${esc(p.priceText)} 起</div>
<div>${p.starLevel ? `${'★'.repeat(p.starLevel)} ` : ''}${esc(p.town ?? '')} · ${esc(p.tier)}</div>
<div>${p.marks.map((m) => `<span class="tag">${esc(m)}</span>`).join('')}</div></a></div>`;
}

/** A small zh-CN brand-hall front: browse, search, product page (with why it cannot be bought) and the price index. */
@UseFilters(CatalogErrorFilter)
@Controller('hall')
export class HallPageController {
  constructor(
    @Inject(SearchService) private readonly search: SearchService,
    @Inject(PriceIndexService) private readonly priceIndex: PriceIndexService,
  ) {}

  @Public()
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async browse(@Query() query: Record<string, unknown>): Promise<string> {
    // No hall chosen: every hall (a search is never silently narrowed to one hall).
    const params: Record<string, unknown> = { ...query };
    if (params['hall'] === '') delete params['hall'];
    let page;
    try {
      page = await this.search.search(params);
    } catch (e) {
      if (e instanceof InvalidInputError) return layout('查询有误', `<p class="blocked">查询条件有误（${esc(e.field)}）：${esc(e.message)}</p><p><a href="/hall">返回首页</a></p>`);
      throw e;
    }
    const hall = HALLS.find((h) => h.id === page.query.hall);
    const q = typeof params['q'] === 'string' ? params['q'] : '';
    const categories = categoryTree();
    const nextParams = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'cursor'));
    if (page.nextCursor) nextParams.set('cursor', page.nextCursor);
    const allHalls = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'cursor' && e[0] !== 'hall'));
    const scope = q
      ? `<p class="scope">搜索“${esc(q)}”：${hall ? `仅在${esc(hall.nameZh)}中 · <a href="/hall?${esc(allHalls.toString())}">在全部品牌馆中搜索</a>` : '在全部品牌馆中'}</p>`
      : '';
    const body = `<h1>${esc(hall?.nameZh ?? `${SITE} · 全部认证产品`)}</h1><p>${esc(hall?.sloganZh ?? HALLS[0].sloganZh)}</p>
<form class="search" method="get" action="/hall">
<select name="hall" aria-label="搜索范围"><option value="">全部品牌馆</option>${HALLS.map((h) => `<option value="${esc(h.id)}"${hall?.id === h.id ? ' selected' : ''}>${esc(h.nameZh)}</option>`).join('')}</select>
<input name="q" value="${esc(q)}" placeholder="搜索：马冈鹅、大沙茶、丝苗米…" maxlength="40">
<select name="category"><option value="">全部品类</option>${categories
      .map((c) => `<optgroup label="${esc(c.nameZh)}"><option value="${esc(c.id)}">全部${esc(c.nameZh)}</option>${c.children.map((s) => `<option value="${esc(s.id)}"${page.query.category === s.id ? ' selected' : ''}>${esc(s.nameZh)}</option>`).join('')}</optgroup>`)
      .join('')}</select>
<select name="sort"><option value="">默认排序</option>${SORTS.map((s) => `<option value="${s}"${page.query.sort === s ? ' selected' : ''}>${SORT_ZH[s]}</option>`).join('')}</select>
<button type="submit">搜索</button></form>
${scope}
${page.items.length ? `<div class="grid">${page.items.map(card).join('')}</div>` : '<p>暂无符合条件的在售认证产品。</p>'}
${page.nextCursor ? `<p><a href="/hall?${esc(nextParams.toString())}">下一页 ›</a></p>` : ''}
<p style="color:#666;font-size:13px">本馆只展示认证有效、可以购买的产品；认证暂停、过期或被红色预警的产品不会出现在列表中。</p>`;
    return layout(hall?.nameZh ?? SITE, body);
  }

  @Public()
  @Get('products/:id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async product(@Param('id') id: string): Promise<string> {
    let p;
    try {
      p = await this.search.productPage(id);
    } catch {
      return layout('产品不存在', '<p class="blocked">产品不存在或已删除。</p><p><a href="/hall">返回开平优品馆</a></p>');
    }
    const a = p.availability;
    const action = a.buyable
      ? `${a.noticeZh ? `<p class="notice">${esc(a.noticeZh)}</p>` : ''}<form method="post" action="/cart"><label>规格 <select name="skuId">${p.skus
          .map((s) => `<option value="${esc(s.skuId)}"${s.available > 0 ? '' : ' disabled'}>${esc(s.spec)} ${esc(s.priceText)}${s.available > 0 ? '' : '（缺货）'}</option>`)
          .join('')}</select></label> <input type="number" name="quantity" value="1" min="1"> <button class="buy" type="submit">加入购物车</button></form>`
      : `<div class="blocked" role="alert"><strong>暂不可购买</strong><br>${esc(a.messageZh)}</div>`;
    const body = `<p><a href="/hall">开平优品馆</a> › ${p.category.map(esc).join(' › ')}</p>
<h1>${esc(p.name)}</h1>
<p>${p.starLevel ? `<span class="tag">${'★'.repeat(p.starLevel)} 一乡一品</span>` : ''}${p.halls.map((h) => `<span class="tag">${esc(h.name)}</span>`).join('')}</p>
<p>${esc(p.description)}</p>
<table><tr><th>产地</th><td>${esc(p.town)}</td></tr><tr><th>品质档次</th><td>${esc(p.tier)}</td></tr><tr><th>原产程度</th><td>${esc(p.originDegree)}</td></tr>
<tr><th>储运温区</th><td>${esc(p.temperature)}</td></tr><tr><th>保质期</th><td>${p.shelfLifeDays ? `${p.shelfLifeDays} 天` : '当日'}</td></tr>
<tr><th>商家</th><td>${esc(p.merchant?.name ?? '')}</td></tr></table>
<h2>规格与价格</h2><table><tr><th>规格</th><th>价格</th><th>库存</th></tr>${p.skus.map((s) => `<tr><td>${esc(s.spec)}</td><td class="price">${esc(s.priceText)}/${esc(s.unit)}</td><td>${s.available}</td></tr>`).join('')}</table>
<h2>认证信息</h2><table><tr><th>标识</th><th>状态</th><th>有效期至</th></tr>${p.certificates.map((c) => `<tr><td>${esc(c.mark)}${c.level ? ` ${'★'.repeat(c.level)}` : ''}</td><td>${esc(STATUS_ZH[c.status] ?? c.status)}</td><td>${esc(c.validUntil.slice(0, 10))}</td></tr>`).join('')}</table>
<div style="margin-top:16px">${action}</div>`;
    return layout(p.name, body);
  }

  @Public()
  @Get('price-index')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async index(@Query('group') group?: string): Promise<string> {
    const id = typeof group === 'string' && group ? group : 'magang_goose';
    const s = await this.priceIndex.series({ group: id });
    const w = 720, h = 240, pad = 36;
    const values = s.points.map((p) => p.index);
    const min = Math.min(...values, 100) - 1, max = Math.max(...values, 100) + 1;
    const x = (i: number) => pad + (i * (w - 2 * pad)) / Math.max(1, values.length - 1);
    const y = (v: number) => h - pad - ((v - min) * (h - 2 * pad)) / (max - min);
    const path = values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const body = `<h1>开平主要优品价格指数</h1><p>${PRICE_INDEX_GROUPS.map((g) => `<a href="/hall/price-index?group=${g.id}">${esc(g.nameZh)}</a>`).join(' · ')}</p>
<h2>${esc(s.nameZh)}（基期 ${esc(s.baseDay)} = 100）</h2>
<svg width="${w}" height="${h}" role="img" aria-label="${esc(s.nameZh)}价格指数走势" style="background:#fff">
<line x1="${pad}" y1="${y(100).toFixed(1)}" x2="${w - pad}" y2="${y(100).toFixed(1)}" stroke="#ccc" stroke-dasharray="4"/>
<path d="${path}" fill="none" stroke="#8b1a1a" stroke-width="2"/>
<text x="4" y="${y(max - 1) + 4}" font-size="11">${(max - 1).toFixed(1)}</text><text x="4" y="${y(min + 1) + 4}" font-size="11">${(min + 1).toFixed(1)}</text>
<text x="${pad}" y="${h - 8}" font-size="11">${esc(s.points[0]?.day)}</text><text x="${w - pad - 70}" y="${h - 8}" font-size="11">${esc(s.points.at(-1)?.day)}</text></svg>
<p>最新指数 <strong>${esc(s.points.at(-1)?.index)}</strong>，中位价 ${s.points.at(-1)?.medianUnitPriceFen != null ? `${((s.points.at(-1)?.medianUnitPriceFen ?? 0) / 100).toFixed(2)} ${esc(s.measureZh)}` : '—'}</p>
<p style="color:#666;font-size:13px">编制方法：以每日 24:00 在售挂牌价折算为单位价格，取前后两日均在售商品价格比的几何平均作为日环比，逐日连乘，基期为 100。</p>`;
    return layout('价格指数', body);
  }
}

const STATUS_ZH: Record<string, string> = {
  active: '有效',
  inspection_due: '待年检',
  yellow_warning: '黄色预警',
  suspended: '已暂停',
  red_warning: '红色预警',
  revoked: '已撤销',
  expired: '已过期',
};
