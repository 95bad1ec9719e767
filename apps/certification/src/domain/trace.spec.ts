import fc from 'fast-check';
import { TRACE_CODE_LENGTH, encodeBase32, generateTraceCode, normaliseTraceCode } from './trace-code';
import { digitalLink, gtinCheckDigit, normaliseGtin, parseDigitalLinkPath } from './digital-link';
import { clampQrWidth, qrPng, qrSvg } from './qr';
import { badgeSvg, escapeXml } from './badge';

describe('trace codes', () => {
  it('are 26 Crockford base32 characters from 128 random bits', () => {
    const code = generateTraceCode();
    expect(code).toHaveLength(TRACE_CODE_LENGTH);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(normaliseTraceCode(code)).toBe(code);
  });

  it('encode the bytes they were given (known vectors)', () => {
    expect(encodeBase32(new Uint8Array(16))).toBe('0'.repeat(26));
    expect(encodeBase32(new Uint8Array(16).fill(255))).toBe('Z'.repeat(25) + 'W');
    expect(encodeBase32(Uint8Array.from([0xf8]))).toBe('Z0');
  });

  it('do not repeat across many draws', () => {
    const codes = new Set(Array.from({ length: 5000 }, () => generateTraceCode()));
    expect(codes.size).toBe(5000);
  });

  it('accept what people type: lower case, dashes, spaces, O for 0 and I/L for 1', () => {
    const code = encodeBase32(Uint8Array.from({ length: 16 }, (_, i) => i * 17));
    const typed = code.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l').replace(/(.{5})/g, '$1-');
    expect(normaliseTraceCode(typed)).toBe(code);
    expect(normaliseTraceCode(code.slice(0, 25))).toBeNull();
    expect(normaliseTraceCode(code.slice(0, 25) + 'U')).toBeNull();
    expect(normaliseTraceCode('Z'.repeat(26))).toBeNull(); // padding bits set: never produced
  });

  it('round-trip for any 16 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const code = generateTraceCode(() => bytes);
        expect(normaliseTraceCode(code)).toBe(code);
      }),
    );
  });
});

describe('GTIN and GS1 Digital Link', () => {
  it.each(['96385074', '036000291452', '4006381333931', '09506000134352', '6901234567892'])('accepts valid GTIN %s padded to 14 digits', (gtin) => {
    expect(normaliseGtin(gtin)).toEqual({ ok: true, value: gtin.padStart(14, '0') });
  });

  it.each([
    ['4006381333932', 'gtin_check_digit'],
    ['400638133393', 'gtin_check_digit'],
    ['12345', 'gtin_format'],
    ['40063813339a1', 'gtin_format'],
    ['', 'gtin_format'],
  ])('rejects %s (%s)', (gtin, code) => {
    expect(normaliseGtin(gtin)).toMatchObject({ ok: false, rejection: { code } });
  });

  it('every single-digit change breaks the check digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 9 }), (body, position, delta) => {
        const gtin = body + gtinCheckDigit(body);
        const digits = gtin.split('');
        digits[position] = String((Number(digits[position]) + delta) % 10);
        expect(normaliseGtin(digits.join('')).ok).toBe(false);
      }),
    );
  });

  it('builds /01/<gtin>/10/<lot> with a GTIN and /t/<code> without, and parses them back', () => {
    const base = 'https://verify.techan.example/';
    const code = generateTraceCode();
    const withLot = digitalLink(base, { traceCode: code, gtin: '6901234567892', lot: 'MG-2026.11' });
    expect(withLot).toEqual({ ok: true, value: 'https://verify.techan.example/01/06901234567892/10/MG-2026.11' });
    expect(digitalLink(base, { traceCode: code, gtin: '6901234567892' })).toEqual({ ok: true, value: 'https://verify.techan.example/01/06901234567892' });
    expect(digitalLink(base, { traceCode: code })).toEqual({ ok: true, value: `https://verify.techan.example/t/${code}` });
    expect(digitalLink(base, { traceCode: code, gtin: '6901234567893' })).toMatchObject({ ok: false, rejection: { code: 'gtin_check_digit' } });
    expect(digitalLink(base, { traceCode: code, gtin: '6901234567892', lot: 'lot with spaces' })).toMatchObject({ ok: false, rejection: { code: 'lot_invalid' } });

    expect(parseDigitalLinkPath('/01/06901234567892/10/MG-2026.11')).toEqual({ ok: true, value: { kind: 'gtin', gtin: '06901234567892', lot: 'MG-2026.11' } });
    expect(parseDigitalLinkPath('/01/6901234567892')).toEqual({ ok: true, value: { kind: 'gtin', gtin: '06901234567892' } });
    expect(parseDigitalLinkPath(`/t/${code}?x=1`)).toEqual({ ok: true, value: { kind: 'trace', traceCode: code } });
    expect(parseDigitalLinkPath('/01/123')).toMatchObject({ ok: false });
    expect(parseDigitalLinkPath('/nothing')).toMatchObject({ ok: false, rejection: { code: 'link_unrecognised' } });
  });
});

describe('QR images and badge', () => {
  const payload = 'https://verify.techan.example/t/0123456789ABCDEFGHJKMNPQRS';

  it('renders a PNG of the requested width', async () => {
    const png = await qrPng(payload, 200);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(200); // IHDR width
    expect(png.readUInt32BE(20)).toBe(200);
    const other = await qrPng(payload.replace('0123', '9999'), 200);
    expect(other.equals(png)).toBe(false);
  });

  it('clamps silly sizes', async () => {
    expect((await qrPng(payload, 5)).readUInt32BE(16)).toBe(128);
    expect([clampQrWidth(1e9), clampQrWidth(Number.NaN), clampQrWidth(300.4)]).toEqual([1024, 512, 300]);
  });

  it('renders an SVG', async () => {
    const svg = await qrSvg(payload);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<path');
    expect(svg).toContain('width="512"');
  });

  it('draws filled stars up to the level, the tier, number and validity', () => {
    const svg = badgeSvg({ mark: 'otop', level: 4, number: 'OTOP-4-2026-000001', validUntil: new Date('2029-03-21T00:00:00Z') });
    expect(svg.match(/fill="#f5b301" stroke/g)).toHaveLength(4);
    expect(svg.match(/fill="none" stroke="#f5b301"/g)).toHaveLength(1);
    expect(svg).toContain('中国一乡一品');
    expect(svg).toContain('臻选产品 · 4星级');
    expect(svg).toContain('证书编号 OTOP-4-2026-000001');
    expect(svg).toContain('有效期至 2029-03-21');
  });

  it('draws a regional-brand badge without stars, escaping text', () => {
    const svg = badgeSvg({ mark: 'magang', number: 'MG<&>', validUntil: new Date('2028-01-01T00:00:00Z') });
    expect(svg).toContain('马冈优品');
    expect(svg).not.toContain('<path');
    expect(svg).toContain('MG&lt;&amp;&gt;');
    expect(escapeXml(`"'`)).toBe('&quot;&apos;');
  });
});
