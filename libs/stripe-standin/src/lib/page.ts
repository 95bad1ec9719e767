import type { CheckoutSession, LineItem, PaymentIntent } from './engine';
import { TEST_CARDS } from './engine';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function yuan(fen: number, currency: string): string {
  const sign = currency === 'cny' ? '¥' : `${currency.toUpperCase()} `;
  return `${sign}${(fen / 100).toFixed(2)}`;
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;background:#f5f6f8;margin:0;color:#1f2329}
main{max-width:440px;margin:32px auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 2px 12px #0001}
h1{font-size:20px;margin:0 0 4px} .muted{color:#646a73;font-size:13px} .total{font-size:28px;font-weight:600;margin:12px 0}
table{width:100%;border-collapse:collapse;font-size:14px} td{padding:4px 0} td:last-child{text-align:right}
fieldset{border:1px solid #dee0e3;border-radius:8px;margin:16px 0;padding:12px} legend{padding:0 6px;font-weight:600}
input{width:100%;box-sizing:border-box;padding:10px;font-size:16px;border:1px solid #c9cdd4;border-radius:6px;margin:6px 0}
button{width:100%;padding:12px;font-size:16px;border:0;border-radius:6px;background:#1677ff;color:#fff;cursor:pointer;margin-top:6px}
button.secondary{background:#f2f3f5;color:#1f2329} .alipay{background:#1677ff} .wechat{background:#07c160}
.error{background:#fff1f0;border:1px solid #ffccc7;color:#a8071a;padding:10px;border-radius:6px;margin:12px 0}
.banner{background:#fffbe6;border:1px solid #ffe58f;padding:6px 10px;border-radius:6px;font-size:12px;margin-bottom:12px}
</style></head><body><main>
<div class="banner">测试环境（Stripe 模拟服务）：不会产生真实扣款</div>
${body}
</main></body></html>`;
}

/** The hosted payment page of an open session (zh-CN), with the test cards listed for the test shopper. */
export function paymentPage(session: CheckoutSession, items: LineItem[], pi: PaymentIntent | undefined, error?: string): string {
  const action = `/pay/${esc(session.id)}`;
  const lines = items.map((l) => `<tr><td>${esc(l.name)} × ${l.quantity}</td><td>${yuan(l.unit_amount * l.quantity, l.currency)}</td></tr>`).join('');
  const head = `<h1>确认付款</h1><div class="muted">订单 ${esc(session.client_reference_id ?? session.id)}</div>
<div class="total" data-testid="amount">${yuan(session.amount_total, session.currency)}</div><table>${lines}</table>
${error ? `<div class="error" role="alert">${esc(error)}</div>` : ''}`;
  if (pi?.status === 'requires_action') {
    return layout('3D Secure 验证', `${head}<fieldset><legend>发卡行验证（3D Secure）</legend><p>您的银行要求验证这笔付款。</p>
<form method="post" action="${action}"><input type="hidden" name="action" value="authenticate">
<button name="result" value="ok">完成验证</button><button class="secondary" name="result" value="fail">验证失败</button></form></fieldset>`);
  }
  const parts: string[] = [];
  if (session.payment_method_types.includes('card')) {
    const cards = Object.entries(TEST_CARDS)
      .map(([n, c]) => `<li><code>${n.replace(/(\d{4})(?=\d)/g, '$1 ')}</code> — ${esc(c.labelZh)}</li>`)
      .join('');
    parts.push(`<fieldset><legend>银行卡</legend><form method="post" action="${action}"><input type="hidden" name="method" value="card">
<label>卡号<input name="card" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required></label>
<label>有效期<input name="exp" placeholder="12 / 34"></label><label>安全码<input name="cvc" placeholder="123"></label>
<button type="submit" data-testid="pay-card">支付 ${yuan(session.amount_total, session.currency)}</button></form>
<details><summary class="muted">测试卡号</summary><ul class="muted">${cards}</ul></details></fieldset>`);
  }
  for (const [method, label, cls] of [['alipay', '支付宝', 'alipay'], ['wechat_pay', '微信支付', 'wechat']] as const) {
    if (!session.payment_method_types.includes(method)) continue;
    parts.push(`<fieldset><legend>${label}</legend><form method="post" action="${action}"><input type="hidden" name="method" value="${method}">
<button class="${cls}" name="approve" value="yes" data-testid="pay-${method}">模拟${label}付款成功</button>
<button class="secondary" name="approve" value="no">模拟在${label}中取消</button></form></fieldset>`);
  }
  const cancel = session.cancel_url ? `<form method="post" action="${action}"><input type="hidden" name="action" value="cancel"><button class="secondary">返回商店</button></form>` : '';
  return layout('确认付款', head + parts.join('') + cancel);
}

export function closedPage(session: CheckoutSession): string {
  const text = session.status === 'complete' ? '这笔付款已完成。' : '付款页面已过期，请返回商店重新下单。';
  return layout('付款页面', `<h1>${text}</h1><div class="muted">${esc(session.id)}</div>`);
}
