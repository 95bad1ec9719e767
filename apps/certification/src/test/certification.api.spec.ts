import { QueueEvents } from 'bullmq';
import type { ProductStatusChangedV1 } from '@techan/common';
import { ProductStatusProjection, addMonths } from '../domain';
import { TimerScheduler, dueJobId } from '../app/timers/timer-scheduler';
import { TimerWorker } from '../app/timers/timer-worker';
import { validOpenApiOperations } from '@techan/common/testing';
import { ApiHarness, PRINCIPALS } from './api-harness';
import { GOOSE, certify, expectStatus, registerGoose } from './flows';

const { merchant, otherMerchant, certifier, inspector, shopper } = PRINCIPALS;
jest.setTimeout(180_000); // whole flows over HTTP; the machine may be shared

describe('certification API on the local stack', () => {
  const api = new ApiHarness();
  beforeAll(async () => {
    await api.start();
  });
  afterAll(async () => {
    await api.stop();
  });

  const latestEvent = async (productId: string): Promise<ProductStatusChangedV1> => (await api.statusEvents(productId)).at(-1).data;

  it('takes a 3★ application from submission to a numbered certificate, a trace code and a green scan', async () => {
    await registerGoose(api);
    const application = await certify(api);
    expect(application.status).toBe('approved');
    expect(application.history.map((h: { to: string }) => h.to)).toEqual([
      'submitted',
      'evidence_accepted',
      'sample_requested',
      'sample_mailed',
      'sample_received',
      'review_scheduled',
      'approved',
    ]);
    expect(application.sample).toMatchObject({ carrier: '顺丰速运', trackingNumber: 'SF1402030405' });

    const certificate = await api.request('GET', `/certificates/${application.certificateId}`, { as: merchant });
    expectStatus(certificate, 200);
    expect(certificate.body).toMatchObject({ mark: 'otop', level: 3, status: 'active', productId: GOOSE });
    expect(certificate.body.number).toMatch(/^OTOP-3-2026-\d{6}$/);
    expect(new Date(certificate.body.validUntil).toISOString()).toBe(addMonths(api.clock.now(), 36).toISOString());

    const events = await api.statusEvents(GOOSE);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'techan.certification.product-status-changed.v1', subject: GOOSE });
    expect(events[0].data).toMatchObject({ productId: GOOSE, merchantId: 'm-magang-goose', version: 1, purchasable: true });
    expect(events[0].data.certificates).toEqual([expect.objectContaining({ mark: 'otop', level: 3, colour: 'green', number: certificate.body.number })]);

    // The product-level trace code was issued at approval; a lot gets its own.
    const trace = await api.request('POST', `/products/${GOOSE}/trace-codes`, { as: merchant, body: {} });
    expectStatus(trace, 201);
    expect(trace.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(trace.body.link).toBe('https://verify.techan.example/01/06901234567892');
    const lot = await api.request('POST', `/products/${GOOSE}/trace-codes`, { as: merchant, body: { lot: 'MG2026-11' } });
    expect(lot.body.link).toBe('https://verify.techan.example/01/06901234567892/10/MG2026-11');
    expect(lot.body.code).not.toBe(trace.body.code);

    const verify = await api.request('GET', `/verify/${trace.body.code}`);
    expectStatus(verify, 200);
    expect(verify.body).toMatchObject({
      colour: 'green',
      purchasable: true,
      product: { id: GOOSE, name: '马冈鹅（冰鲜整鹅）' },
      merchant: { id: 'm-magang-goose', name: '开平市马冈鹅养殖专业合作社' },
    });
    expect(verify.body.certificates[0]).toMatchObject({ markName: '一乡一品星级', level: 3, number: certificate.body.number, colour: 'green' });

    const page = await api.request('GET', `/01/06901234567892/10/MG2026-11`);
    expectStatus(page, 200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('认证有效');
    expect(page.text).toContain(certificate.body.number);
    expect(page.text).toContain('批次：MG2026-11');
    const byCode = await api.request('GET', `/t/${trace.body.code.toLowerCase()}`);
    expect(byCode.text).toContain('马冈鹅（冰鲜整鹅）');

    const png = await fetch(`${api.baseUrl}/products/${GOOSE}/qr.png?width=256`, { headers: { authorization: `Bearer ${api.token(merchant)}` } });
    expect(png.status).toBe(200);
    expect(png.headers.get('x-trace-link')).toBe('https://verify.techan.example/01/06901234567892');
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    const svg = await api.request('GET', `/products/${GOOSE}/qr.svg?lot=MG2026-11`, { as: merchant });
    expect(svg.text).toContain('<svg');
    const badge = await api.request('GET', `/certificates/${application.certificateId}/badge.svg`, { as: merchant });
    expect(badge.text).toContain('优选产品 · 3星级');

    // Another enterprise sees none of it.
    expect((await api.request('GET', `/applications/${application.id}`, { as: otherMerchant })).status).toBe(404);
    expect((await api.request('GET', `/certificates/${application.certificateId}`, { as: otherMerchant })).status).toBe(404);
    expect((await api.request('GET', `/products/${GOOSE}/qr.png`, { as: otherMerchant })).status).toBe(404);
    expect((await api.request('GET', '/applications', { as: otherMerchant })).body).toEqual([]);
    expect((await api.request('GET', '/applications', { as: inspector })).body).toHaveLength(1);
  });

  it("serves an application's review checklist from its star criteria, to its merchant and to staff only", async () => {
    const [application] = (await api.request('GET', '/applications', { as: certifier })).body;
    const checklist = await api.request('GET', `/applications/${application.id}/checklist`, { as: certifier });
    expectStatus(checklist, 200);
    expect(checklist.body).toMatchObject({ label: '一乡一品星级 ★★★', reviewMethod: application.review.method, numberedCertificate: true, sampleRequired: true });
    // The checks the certifier reported are exactly the ones the checklist asks for.
    expect(checklist.body.checks.map((c: { check: string }) => c.check).sort()).toEqual(application.review.checks.map((c: { check: string }) => c.check).sort());
    expect(checklist.body.checks[0]).toEqual({ check: 'documents_review', name: '资料审核' });
    expect(checklist.body.requirements).toContainEqual({ kind: 'complaint_free', text: '评审前 24 个月内无重要投诉及安全责任事故' });
    expectStatus(await api.request('GET', `/applications/${application.id}/checklist`, { as: merchant }), 200);
    expect((await api.request('GET', `/applications/${application.id}/checklist`, { as: otherMerchant })).status).toBe(404);
    expect((await api.request('GET', '/applications/no-such-application/checklist', { as: certifier })).status).toBe(404);
  });

  it('publishes a valid OpenAPI 3 document of its routes, with request bodies from the zod schemas', async () => {
    const { document, operations } = await validOpenApiOperations(api.baseUrl);
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /applications',
        'GET /applications/{id}/checklist',
        'POST /applications/{id}/review/result',
        'POST /certificates/{id}/warnings/yellow',
        'POST /certificates/{id}/suspension',
        'POST /products/{productId}/warnings/red',
        'GET /verify/{code}',
      ]),
    );
    const paths = document['paths'] as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; parameters?: { name: string; in: string }[] }>>;
    expect(paths['/certificates/{id}/warnings/yellow']['post'].requestBody?.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['reason', 'deadline'],
      additionalProperties: false,
      properties: { reason: { type: 'string', maxLength: 1000 }, deadline: { type: 'string' } },
    });
    expect(paths['/applications']['get'].parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['query:status', 'query:productId', 'query:merchantId']));
    expect(document['servers']).toContainEqual({ url: '/api/certification', description: '经统一入口（网关）' });
    // Protected routes ask for the bearer token; @Public() ones (the verification page) do not.
    const security = (path: string, method: string) => (paths[path][method] as { security?: unknown }).security;
    expect(security('/applications', 'post')).toEqual([{ bearer: [] }]);
    expect(security('/verify/{code}', 'get')).toBeUndefined();
  });

  it('turns a failed annual inspection yellow, then suspended as time moves; the sweeper is idempotent', async () => {
    const productId = 'p-dasha-tea-yellow';
    await registerGoose(api, productId);
    const application = await certify(api, { scheme: 'otop', level: 3 }, productId);
    const certificateId = application.certificateId;
    const sweeper = api.get(TimerWorker);
    const issued = (await api.request('GET', `/certificates/${certificateId}`, { as: certifier })).body;

    api.clock.set(issued.nextInspectionAt);
    // Other products' certificates share the clock, so count at least ours.
    expect((await sweeper.sweepOnce()).changed).toBeGreaterThanOrEqual(1);
    expect((await latestEvent(productId)).certificates[0]).toMatchObject({ status: 'inspection_due', colour: 'green' });

    api.clock.advance(3 * 86_400_000);
    const failed = await api.request('POST', `/certificates/${certificateId}/annual-inspections`, { as: inspector, body: { passed: false, findings: '茶多酚含量低于企业标准' } });
    expectStatus(failed, 200);
    expect(failed.body.status).toBe('yellow_warning');
    let event = await latestEvent(productId);
    expect(event).toMatchObject({ purchasable: true });
    expect(event.certificates[0]).toMatchObject({ status: 'yellow_warning', colour: 'yellow' });
    const { code } = (await api.request('POST', `/products/${productId}/trace-codes`, { as: merchant, body: {} })).body;
    expect((await api.request('GET', `/verify/${code}`)).body).toMatchObject({ colour: 'yellow', purchasable: true });
    expect((await api.request('GET', `/v/${code}`)).text).toContain('黄色警示');

    api.clock.set(addMonths(api.clock.now(), 1));
    expect((await sweeper.sweepOnce()).changed).toBeGreaterThanOrEqual(1);
    event = await latestEvent(productId);
    expect(event).toMatchObject({ purchasable: false, reason: 'timer.grace_lapsed' });
    expect(event.certificates[0]).toMatchObject({ status: 'suspended', colour: 'grey' });
    expect((await api.request('GET', `/verify/${code}`)).body).toMatchObject({ colour: 'grey', purchasable: false });

    const before = (await api.statusEvents(productId)).length;
    expect(await sweeper.sweepOnce()).toEqual({ examined: 0, changed: 0 });
    expect(await api.get(TimerWorker).sweepOnce(api.clock.now())).toEqual({ examined: 0, changed: 0 });
    expect(await api.statusEvents(productId)).toHaveLength(before);
    const versions = (await api.statusEvents(productId)).map((e) => e.data.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('a red warning makes purchasable false in the next event and on the scan; a passed re-test restores it', async () => {
    const productId = 'p-goose-red';
    await registerGoose(api, productId);
    const application = await certify(api, { scheme: 'otop', level: 3 }, productId);
    const versionBefore = (await latestEvent(productId)).version;

    expect((await api.request('POST', `/products/${productId}/warnings/red`, { as: merchant, body: { reason: 'x' } })).status).toBe(403);
    const red = await api.request('POST', `/products/${productId}/warnings/red`, { as: certifier, body: { reason: '市场抽检：沙门氏菌检出' } });
    expectStatus(red, 200);
    const event = await latestEvent(productId);
    expect(event.version).toBe(versionBefore + 1);
    expect(event.purchasable).toBe(false);
    expect(event.certificates[0]).toMatchObject({ status: 'red_warning', colour: 'red' });
    const { code } = (await api.request('POST', `/products/${productId}/trace-codes`, { as: merchant, body: {} })).body;
    const scan = await api.request('GET', `/verify/${code}`);
    expect(scan.body).toMatchObject({ colour: 'red', purchasable: false, activeWarnings: [{ colour: 'red', reason: '市场抽检：沙门氏菌检出' }] });
    expect((await api.request('GET', `/t/${code}`)).text).toContain('红色警示');

    const again = await api.request('POST', `/certificates/${application.certificateId}/warnings/red`, { as: certifier, body: { reason: '再次' } });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('already_red');

    const retest = await api.request('POST', `/certificates/${application.certificateId}/retests`, { as: inspector, body: { passed: true, findings: '复检合格' } });
    expectStatus(retest, 200);
    expect(await latestEvent(productId)).toMatchObject({ purchasable: true, version: versionBefore + 2 });
    expect((await api.request('GET', `/verify/${code}`)).body.inspectionSummary).toMatchObject({ retests: 1, lastInspection: { kind: 'retest', passed: true } });
  });

  it("a certifier's yellow warning carries a deadline and keeps the product sellable; suspending stops sales", async () => {
    const productId = 'p-goose-yellow-notice';
    await registerGoose(api, productId);
    const { certificateId } = await certify(api, { scheme: 'otop', level: 3 }, productId);
    const deadline = new Date(api.clock.now().getTime() + 20 * 86_400_000).toISOString();
    const path = `/certificates/${certificateId}`;

    expect((await api.request('POST', `${path}/warnings/yellow`, { as: merchant, body: { reason: 'x', deadline } })).status).toBe(403);
    expect((await api.request('POST', `${path}/warnings/yellow`, { as: certifier, body: { reason: '包装未标注生产批次' } })).status).toBe(400);
    const past = await api.request('POST', `${path}/warnings/yellow`, { as: certifier, body: { reason: '包装未标注生产批次', deadline: '2020-01-01' } });
    expect(past.status).toBe(422);
    expect(past.body).toMatchObject({ error: 'deadline_invalid', message: '整改期限须晚于当前时间' });

    const yellow = await api.request('POST', `${path}/warnings/yellow`, { as: certifier, body: { reason: '包装未标注生产批次', deadline } });
    expectStatus(yellow, 200);
    expect(yellow.body).toMatchObject({ status: 'yellow_warning', graceUntil: deadline });
    let event = await latestEvent(productId);
    expect(event).toMatchObject({ purchasable: true });
    expect(event.certificates[0]).toMatchObject({ status: 'yellow_warning', colour: 'yellow' });

    expect((await api.request('POST', `${path}/suspension`, { as: inspector, body: { reason: '停产整顿' } })).status).toBe(403);
    expect((await api.request('POST', `${path}/suspension`, { as: otherMerchant, body: { reason: '停产整顿' } })).status).toBe(404);
    const suspended = await api.request('POST', `${path}/suspension`, { as: certifier, body: { reason: '整改期内再次发现批次标识缺失' } });
    expectStatus(suspended, 200);
    expect(suspended.body).toMatchObject({ status: 'suspended', suspensionReason: 'certifier_decision' });
    event = await latestEvent(productId);
    expect(event).toMatchObject({ purchasable: false, reason: 'certificate.suspend' });
    expect(event.certificates[0]).toMatchObject({ status: 'suspended', colour: 'grey' });
    expect((await api.request('POST', `${path}/suspension`, { as: certifier, body: { reason: '再次' } })).status).toBe(409);
  });

  it('records GI registrations and authorisations and external certificates; a product may hold the county and its town mark', async () => {
    const productId = 'p-goose-marks';
    await registerGoose(api, productId);
    const registration = {
      registrationNumber: 'DEMO-AGI-MAGANG-GOOSE',
      name: '马冈肉鹅',
      kind: 'agricultural_product_gi',
      registrant: '开平市马冈鹅协会（演示）',
      protectedArea: { wholeCounty: false, towns: ['magang'], description: '开平市马冈镇' },
      registeredAt: '2015-01-01T00:00:00Z',
    };
    expect((await api.request('POST', '/gi-registrations', { as: merchant, body: registration })).status).toBe(403);
    expectStatus(await api.request('POST', '/gi-registrations', { as: certifier, body: registration }), 201);
    expect((await api.request('GET', '/gi-registrations', { as: merchant })).body).toEqual([expect.objectContaining({ name: '马冈肉鹅' })]);

    const validity = { validFrom: '2026-01-01T00:00:00Z', validUntil: '2029-01-01T00:00:00Z' };
    const gi = await api.request('POST', `/products/${productId}/gi-authorisations`, {
      as: certifier,
      body: { registrationNumber: 'DEMO-AGI-MAGANG-GOOSE', authorisationNumber: 'MGE-SQ-2026-018', ...validity },
    });
    expectStatus(gi, 201);
    expect(gi.body).toMatchObject({ mark: 'gi', number: 'MGE-SQ-2026-018', issuer: '开平市马冈鹅协会（演示）', status: 'active' });
    const unknown = await api.request('POST', `/products/${productId}/gi-authorisations`, { as: certifier, body: { registrationNumber: 'NOPE', authorisationNumber: 'X-1', ...validity } });
    expect(unknown.status).toBe(422);
    const organic = await api.request('POST', `/products/${productId}/external-certificates`, {
      as: certifier,
      body: { kind: 'organic', issuer: '中绿华夏有机产品认证中心', number: '110OP2600123', ...validity },
    });
    expectStatus(organic, 201);

    // The GI satisfies the 中端 "held mark" requirement of both the town and the county standard.
    await certify(api, { scheme: 'regional', mark: 'magang', tier: 'mid' }, productId);
    await certify(api, { scheme: 'regional', mark: 'kaiping', tier: 'mid' }, productId);
    const event = await latestEvent(productId);
    expect(event.purchasable).toBe(true);
    expect(event.certificates.map((c) => c.mark).sort()).toEqual(['gi', 'kaiping', 'magang', 'organic']);
    expect(event.certificates.find((c) => c.mark === 'kaiping')?.number).toMatch(/^KPYP-M-20\d\d-\d{6}$/);
    expect(event.certificates.find((c) => c.mark === 'magang')?.number).toMatch(/^MGYP-M-20\d\d-\d{6}$/);

    const outside = 'p-tea-outside';
    await api.request('PUT', `/products/${outside}`, { as: merchant, body: { merchantId: 'm-magang-goose', name: '大沙茶', origin: { town: 'dasha', inKaiping: true, degree: 'fully_local' } } });
    const wrongArea = await api.request('POST', `/products/${outside}/gi-authorisations`, { as: certifier, body: { registrationNumber: 'DEMO-AGI-MAGANG-GOOSE', authorisationNumber: 'MGE-SQ-2026-019', ...validity } });
    expect(wrongArea.status).toBe(422);
    expect(wrongArea.body.message).toContain('保护范围');
  });

  it('runs time-driven transitions from the BullMQ delayed job as well', async () => {
    const productId = 'p-goose-bullmq';
    await registerGoose(api, productId);
    const application = await certify(api, { scheme: 'otop', level: 1 }, productId);
    const certificate = (await api.request('GET', `/certificates/${application.certificateId}`, { as: certifier })).body;
    const queue = api.get(TimerScheduler).queue;
    const jobId = dueJobId(certificate.id, 'inspection_falls_due', new Date(certificate.nextInspectionAt));
    const job = await queue.getJob(jobId);
    expect(job).toBeDefined();
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBe(new Date(certificate.nextInspectionAt).getTime() - api.clock.now().getTime());

    // Time passes (a year, on the injected clock); the job becomes due and runs.
    api.clock.set(certificate.nextInspectionAt);
    const events = new QueueEvents(queue.name, { connection: { url: api.redisUrl }, prefix: queue.opts.prefix });
    await events.waitUntilReady();
    await job?.promote();
    await job?.waitUntilFinished(events, 20_000);
    await events.close();
    const after = (await api.request('GET', `/certificates/${certificate.id}`, { as: certifier })).body;
    expect(after.status).toBe('inspection_due');
    // The next transition (inspection overdue) is queued in turn.
    expect(await queue.getJob(dueJobId(certificate.id, 'inspection_overdue', new Date(after.inspectionDeadline)))).toBeDefined();
  });

  it('a confirmed major complaint about the product raises the red warning by itself', async () => {
    const productId = 'p-goose-complaint';
    await registerGoose(api, productId);
    await certify(api, { scheme: 'otop', level: 3 }, productId);
    const complaint = await api.request('POST', '/merchants/m-magang-goose/records/incidents', {
      as: certifier,
      body: { id: 'cmp-2026-001', productId, kind: 'complaint', severity: 'major', occurredAt: api.clock.now().toISOString(), outcome: 'pending' },
    });
    expectStatus(complaint, 201);
    expect((await latestEvent(productId)).purchasable).toBe(true);
    const confirmed = await api.request('PATCH', '/merchants/m-magang-goose/records/incidents/cmp-2026-001', { as: certifier, body: { outcome: 'confirmed' } });
    expectStatus(confirmed, 200);
    expect(await latestEvent(productId)).toMatchObject({ purchasable: false, reason: 'certificate.raise_quality_risk' });
    // The confirmed complaint also counts against the enterprise's complaint-free period.
    const next = 'p-goose-after-complaint';
    await registerGoose(api, next);
    const application = await api.request('POST', '/applications', { as: merchant, body: { productId: next, target: { scheme: 'otop', level: 1 } } });
    const checked = await api.request('POST', `/applications/${application.body.id}/evidence-check`, { as: certifier });
    expect(checked.body).toMatchObject({ status: 'needs_more_evidence', shortfalls: [{ code: 'complaint_free_period_not_met' }] });
  });

  it('replaying the event stream rebuilds a consumer projection, whatever the order and duplicates', async () => {
    const rows = await api.connection.collection('outbox').find({}).toArray();
    const events: ProductStatusChangedV1[] = rows.map((r) => r['envelope'].data);
    expect(new Set(events.map((e) => e.productId)).size).toBeGreaterThanOrEqual(4);
    const live = new ProductStatusProjection();
    [...events].sort((a, b) => a.version - b.version).forEach((e) => live.apply(e));
    const replayed = new ProductStatusProjection();
    const shuffled = [...events, ...events].sort(() => Math.random() - 0.5);
    shuffled.forEach((e) => replayed.apply(e));
    for (const productId of [GOOSE, 'p-dasha-tea-yellow', 'p-goose-red', 'p-goose-complaint']) {
      expect(replayed.get(productId)).toEqual(live.get(productId));
      expect(replayed.get(productId)).toEqual(await latestEvent(productId));
    }
    expect(replayed.purchasable('p-dasha-tea-yellow', api.clock.now())).toBe(false);
    expect(replayed.purchasable('p-goose-red', api.clock.now())).toBe(true);
  });

  describe('bad input and access get clear 4xx replies', () => {
    it('rejects unauthenticated and unknown roles', async () => {
      expect((await api.request('GET', '/applications')).status).toBe(401);
      const bogus = await fetch(`${api.baseUrl}/applications`, { headers: { authorization: 'Bearer not-a-token' } });
      expect(bogus.status).toBe(401);
      const shopperReply = await api.request('GET', '/applications', { as: shopper });
      expect(shopperReply.status).toBe(403);
    });

    it('explains invalid bodies', async () => {
      const level = await api.request('POST', '/applications', { as: merchant, body: { productId: GOOSE, target: { scheme: 'otop', level: 7 } } });
      expect(level.status).toBe(422);
      expect(level.body.message).toBe('星级必须是 1 到 5 的整数');
      const missing = await api.request('POST', '/applications', { as: merchant, body: { target: { scheme: 'otop', level: 2 } } });
      expect(missing.status).toBe(400);
      expect(missing.body.message).toContain('productId');
      const malformed = await api.request('POST', '/applications', { as: merchant, raw: '{"productId":' });
      expect(malformed.status).toBe(400);
      const gtin = await api.request('PUT', '/products/p-bad-gtin', { as: merchant, body: { merchantId: 'm-magang-goose', name: '鹅', gtin: '6901234567893' } });
      expect(gtin.status).toBe(422);
      expect(gtin.body.message).toContain('校验位');
      const date = await api.request('POST', '/merchants/m-magang-goose/records/insurance', { as: merchant, body: { insurer: 'x', policyNumber: 'y', validFrom: 'soon', validUntil: '2030-01-01' } });
      expect(date.status).toBe(400);
    });

    it('is as strict as the catalogue: unknown keys, wrong types and operator-shaped keys are 400 naming the field (issue 9, item 12)', async () => {
      const unknown = await api.request('POST', '/merchants/m-magang-goose/records/insurance', {
        as: merchant,
        body: { insurer: '人保', policyNumber: 'PICC-1', validFrom: '2026-01-01', validUntil: '2030-01-01', discount: 50 },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toContain('discount');
      const numericDate = await api.request('POST', '/merchants/m-magang-goose/records/insurance', { as: merchant, body: { insurer: '人保', policyNumber: 'PICC-1', validFrom: 12345, validUntil: '2030-01-01' } });
      expect(numericDate.status).toBe(400);
      expect(numericDate.body.message).toContain('validFrom');
      const operator = await api.request('GET', '/certificates?status[$ne]=x', { as: certifier });
      expect(operator.status).toBe(400);
      expect(operator.body.message).toContain('status');
      const applicationsOperator = await api.request('GET', '/applications?status[$ne]=x', { as: certifier });
      expect(applicationsOperator.status).toBe(400);
      expect(applicationsOperator.body.message).toContain('status');
      const applicationsUnknown = await api.request('GET', '/applications?sort=-createdAt', { as: certifier });
      expect(applicationsUnknown.status).toBe(400);
      expect(applicationsUnknown.body.message).toContain('sort');
      const nested = await api.request('PUT', '/products/p-strict', { as: merchant, body: { merchantId: 'm-magang-goose', name: '鹅', origin: { inKaiping: true, degree: 'fully_local', $where: '1' } } });
      expect(nested.status).toBe(400);
      expect(nested.body.message).toContain('$where');
    });

    it('refuses illegal transitions, conflicts and other enterprises', async () => {
      const productId = 'p-goose-4xx';
      await registerGoose(api, productId);
      const submitted = await api.request('POST', '/applications', { as: merchant, body: { productId, target: { scheme: 'otop', level: 2 } } });
      expectStatus(submitted, 201);
      const early = await api.request('POST', `/applications/${submitted.body.id}/sample/mailed`, { as: merchant, body: { carrier: '顺丰', trackingNumber: 'SF1234567' } });
      expect(early.status).toBe(409);
      expect(early.body.error).toBe('illegal_transition');
      const duplicate = await api.request('POST', '/applications', { as: merchant, body: { productId, target: { scheme: 'otop', level: 3 } } });
      expect(duplicate.status).toBe(409);
      const foreign = await api.request('POST', '/applications', { as: otherMerchant, body: { productId, target: { scheme: 'otop', level: 1 } } });
      expect(foreign.status).toBe(404);
      const merchantReviews = await api.request('POST', `/applications/${submitted.body.id}/evidence-check`, { as: merchant });
      expect(merchantReviews.status).toBe(403);
      const regional = await api.request('POST', '/applications', { as: merchant, body: { productId, target: { scheme: 'regional', mark: 'dasha', tier: 'mid' } } });
      expect(regional.status).toBe(422);
      expect(regional.body.message).toContain('大沙优品只授予本镇');
    });

    it('answers unknown or malformed codes with 404, in JSON and in HTML', async () => {
      expect((await api.request('GET', '/verify/0000000000000000000000000W')).status).toBe(404);
      expect((await api.request('GET', '/verify/not-a-code')).status).toBe(404);
      const page = await api.request('GET', '/01/6901234567893');
      expect(page.status).toBe(404);
      expect(page.text).toContain('未找到认证记录');
    });
  });
});

describe('public verify endpoint rate limit', () => {
  const api = new ApiHarness();
  beforeAll(async () => {
    await api.start({ VERIFY_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await api.stop();
  });

  it('answers 429 once a client exceeds the limit, while the trivial endpoint is not limited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await api.request('GET', '/verify/0000000000000000000000000W')).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    expect((await api.request('GET', '/ping')).status).toBe(200);
  });
});

/** Issue 9, item 11: one budget per client across the verify routes and across replicas (Redis). */
describe('verify rate limit shared by routes and replicas', () => {
  const a = new ApiHarness();
  const b = new ApiHarness();
  beforeAll(async () => {
    await a.start({ VERIFY_RATE_LIMIT_PER_MINUTE: '4' });
    // A second replica: same database, same Redis and prefix.
    await b.start({ ...a.env, VERIFY_RATE_LIMIT_PER_MINUTE: '4' }, a.svc.config.EVENT_PREFIX);
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  const get = (api: ApiHarness, path: string, client: string) =>
    fetch(api.baseUrl + path, { headers: { 'x-forwarded-for': client } }).then((r) => r.status);

  it('counts /verify, /v, /t and /01 on two replicas against one budget per client; clients behind the proxy are told apart', async () => {
    const code = '0000000000000000000000000W';
    const statuses = [
      await get(a, `/verify/${code}`, '203.0.113.7'),
      await get(b, `/v/${code}`, '203.0.113.7'),
      await get(a, `/t/${code}`, '203.0.113.7'),
      await get(b, '/01/06901234567892', '203.0.113.7'),
      await get(a, `/v/${code}`, '203.0.113.7'),
      await get(b, `/verify/${code}`, '203.0.113.7'),
    ];
    expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
    // Another shopper behind the same ingress (loopback is a trusted hop) still has a budget.
    expect(await get(b, `/v/${code}`, '198.51.100.23')).toBe(404);
  });
});
