import { EVIDENCE_KINDS, planFor } from '../domain';
import type { ApplicationTarget } from '../domain';
import type { AuthUser } from '@techan/common';
import type { ApiHarness } from './api-harness';
import { PRINCIPALS } from './api-harness';

const { merchant, certifier, inspector } = PRINCIPALS;

export const GOOSE = 'p-magang-goose';

export function expectStatus(reply: { status: number; text: string }, status: number): void {
  if (reply.status !== status) throw new Error(`expected HTTP ${status}, got ${reply.status}: ${reply.text}`);
}

/** Register the product and give the merchant complete eligibility records. */
export async function registerGoose(api: ApiHarness, productId = GOOSE, owner: AuthUser = merchant): Promise<void> {
  expectStatus(
    await api.request('PUT', `/products/${productId}`, {
      as: owner,
      body: { merchantId: owner.merchantIds[0], merchantName: '开平市马冈鹅养殖专业合作社', name: '马冈鹅（冰鲜整鹅）', gtin: '6901234567892', origin: { town: 'magang', inKaiping: true, degree: 'fully_local' } },
    }),
    200,
  );
  for (const kind of EVIDENCE_KINDS) {
    expectStatus(await api.request('POST', `/merchants/${owner.merchantIds[0]}/records/evidence`, { as: owner, body: { kind, reference: `oss://evidence/${kind}.pdf` } }), 201);
  }
  expectStatus(
    await api.request('POST', `/merchants/${owner.merchantIds[0]}/records/insurance`, {
      as: owner,
      body: { insurer: '中国人保财险开平支公司', policyNumber: 'PICC-KP-2026-0001', validFrom: '2025-06-01T00:00:00Z', validUntil: '2030-06-01T00:00:00Z' },
    }),
    201,
  );
  expectStatus(await api.request('PUT', `/merchants/${owner.merchantIds[0]}/records/traceability`, { as: owner, body: { traceability: 'production_and_circulation' } }), 200);
}

/** Walk an application through every step over HTTP; returns the approved application. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function certify(api: ApiHarness, target: ApplicationTarget = { scheme: 'otop', level: 3 }, productId = GOOSE): Promise<any> {
  const submitted = await api.request('POST', '/applications', { as: merchant, body: { productId, target } });
  expectStatus(submitted, 201);
  const id = submitted.body.id;
  const step = async (path: string, as: AuthUser, body?: unknown) => {
    const reply = await api.request('POST', `/applications/${id}/${path}`, { as, body });
    expectStatus(reply, 200);
    return reply.body;
  };
  await step('evidence-check', certifier);
  await step('sample/request', certifier, { instructions: '请寄样品 2 份至评定中心（长沙市岳麓区先导路179号）' });
  await step('sample/mailed', merchant, { carrier: '顺丰速运', trackingNumber: 'SF1402030405' });
  api.clock.advance(2 * 86_400_000);
  await step('sample/received', certifier, { receivedAt: api.clock.now().toISOString() });
  const method = planFor(target).reviewMethod;
  const inspectionAt = new Date(api.clock.now().getTime() + 7 * 86_400_000);
  const plan =
    method === 'online'
      ? { method, reviewerId: 'u-certifier' }
      : method === 'third_party'
        ? { method, agency: '江门市质量计量监督检测所', reference: 'WT-2026-0311' }
        : { method, inspectorId: inspector.userId, scheduledFor: inspectionAt.toISOString() };
  await step('review', certifier, plan);
  api.clock.set(inspectionAt);
  const checks = planFor(target).requiredChecks.map((check) => ({ check, passed: true }));
  return step('review/result', method === 'expert_on_site' ? inspector : certifier, { checks });
}
