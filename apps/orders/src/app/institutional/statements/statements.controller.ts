import { Controller, Get, Header, Inject, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles, ZodPipe } from '@techan/common';
import { z } from 'zod';
import { statementCsv, yuan } from '../../../domain/institutional/statement';
import { OrgMember } from '../access';
import { OrganisationsService } from '../organisations/organisations.service';
import { StatementsService, type Statement } from './statements.service';

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function printable(s: Statement): string {
  const rows = s.lines
    .map((l) => `<tr><td>${l.deliveryDate}${l.demoHistory ? ' <small>(演示)</small>' : ''}</td><td>${esc(l.nameZh)}</td><td class=n>${yuan(l.unitPriceFen)}</td><td class=n>${l.ordered}</td><td class=n>${l.accepted}</td><td class=n>${l.rejected}</td><td class=n>${l.short}</td><td class=n>${l.recalled}</td><td class=n>${yuan(l.amountFen)}</td></tr>`)
    .join('');
  const t = s.totals;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(s.orgName)} ${s.month} 对账单</title>
<style>body{font-family:"Noto Sans CJK SC",sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px 6px}.n{text-align:right}@media print{button{display:none}}</style></head>
<body><h1>${esc(s.orgName)} · ${s.month} 月度对账单</h1><p>订购 ¥${yuan(t.orderedFen)}，短缺扣减 ¥${yuan(t.shortFen)}，拒收扣减 ¥${yuan(t.rejectedFen)}，召回冲减 ¥${yuan(t.recallFen)}，<strong>应付 ¥${yuan(t.totalFen)}</strong>${s.pendingDeliveries ? `（另有 ${s.pendingDeliveries} 单尚未送达，送达后计入）` : ''}</p>
${s.demoHistoryDeliveries ? `<p><strong>注意：</strong>其中 ${s.demoHistoryDeliveries} 单是演示历史数据（系统上线前，标“演示”，签收数字为演示值，无物流签收凭证）。</p>` : ''}
<table><thead><tr><th>配送日期</th><th>商品</th><th>单价(元)</th><th>订购</th><th>签收</th><th>拒收</th><th>短缺</th><th>召回</th><th>应付(元)</th></tr></thead><tbody>${rows}</tbody></table>
<button onclick="print()">打印</button></body></html>`;
}

/** Monthly statements: JSON for the portal, CSV to download, a printable page. */
@Controller('institutional/organisations/:orgId/statements')
export class StatementsController {
  constructor(
    @Inject(StatementsService) private readonly statements: StatementsService,
    @Inject(OrganisationsService) private readonly orgs: OrganisationsService,
  ) {}

  private async build(orgId: string, month: string): Promise<Statement> {
    return this.statements.build(await this.orgs.get(orgId), month);
  }

  @Get(':month')
  @Roles('operator', 'buyer')
  @OrgMember('finance', 'buyer_admin')
  json(@Param('orgId') orgId: string, @Param('month', new ZodPipe(Month)) month: string) {
    return this.build(orgId, month);
  }

  @Get(':month/csv')
  @Roles('operator', 'buyer')
  @OrgMember('finance', 'buyer_admin')
  async csv(@Param('orgId') orgId: string, @Param('month', new ZodPipe(Month)) month: string, @Res() res: Response) {
    const s = await this.build(orgId, month);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="statement-${orgId}-${month}.csv"`);
    res.send(statementCsv(s.lines, s.totals));
  }

  @Get(':month/print')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Roles('operator', 'buyer')
  @OrgMember('finance', 'buyer_admin')
  async print(@Param('orgId') orgId: string, @Param('month', new ZodPipe(Month)) month: string) {
    return printable(await this.build(orgId, month));
  }
}
