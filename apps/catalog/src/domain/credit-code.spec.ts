import fc from 'fast-check';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar, parseCreditCode } from './credit-code';
import { DEMO_MERCHANTS } from './demo-data';

describe('unified social credit code (GB 32100-2015)', () => {
  it.each([
    ['9144030071526726XG', '工商', '企业', '440300'],
    ['91330100716105852F', '工商', '企业', '330100'],
  ])('accepts the published code %s', (code, authority, entityType, division) => {
    const r = parseCreditCode(code);
    expect(r).toEqual({ valid: true, info: expect.objectContaining({ authority, entityType, divisionCode: division }) });
  });

  it('accepts every demo merchant code, all registered in Kaiping (440783)', () => {
    for (const m of DEMO_MERCHANTS) {
      const r = parseCreditCode(m.creditCode);
      expect(r.valid).toBe(true);
      if (r.valid) expect(r.info.divisionCode).toBe('440783');
    }
  });

  it('normalises case and surrounding spaces', () => {
    const r = parseCreditCode(' 9144030071526726xg ');
    expect(r.valid && r.info.code).toBe('9144030071526726XG');
  });

  it('rejects a wrong check character', () => {
    expect(parseCreditCode('9144030071526726XH')).toEqual({ valid: false, error: '统一社会信用代码校验位错误' });
  });

  it('detects every single-character substitution (the weights are non-zero mod a prime)', () => {
    const code = '91440783MA4UK7R28A';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), fc.constantFrom(...CREDIT_CODE_ALPHABET), (pos, ch) => {
        fc.pre(code[pos] !== ch);
        const mutated = code.slice(0, pos) + ch + code.slice(pos + 1);
        expect(parseCreditCode(mutated).valid).toBe(false);
      }),
    );
  });

  it('detects adjacent transpositions within the body', () => {
    const code = '91440783MA51C3P85U';
    for (let i = 8; i < 16; i++) {
      if (code[i] === code[i + 1]) continue;
      const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
      expect(parseCreditCode(swapped).valid).toBe(false);
    }
  });

  it.each([
    [123, '统一社会信用代码必须是字符串'],
    ['9144030071526726X', '统一社会信用代码应为18位'],
    ['9144030071526726IG', '统一社会信用代码含有非法字符“I”（不使用 I、O、Z、S、V）'],
    ['B144030071526726XG', '登记管理部门代码“B”无效'],
    ['9944030071526726XG', '机构类别代码“9”与登记管理部门不匹配'],
    ['91A40300715267260G', '登记管理机关行政区划码应为6位数字'],
  ])('rejects %p: %s', (input, error) => {
    expect(parseCreditCode(input)).toEqual({ valid: false, error });
  });

  it('computes the check character over the first 17 characters', () => {
    expect(creditCodeCheckChar('9144030071526726X')).toBe('G');
    expect(() => creditCodeCheckChar('9144030071526726O')).toThrow(RangeError);
  });
});
