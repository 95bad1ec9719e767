import { InvalidInputError } from './errors';
import { assertFen, formatFen, parseYuan } from './money';
import { isValidGtin, gtinCheckDigit } from './gtin';

describe('money in fen', () => {
  it.each([
    ['128', 12800],
    ['128.5', 12850],
    ['0.07', 7],
    ['¥1,288.00', 128800],
    ['￥3.9', 390],
  ])('parses %s yuan exactly', (text, fen) => {
    expect(parseYuan('price', text)).toBe(fen);
  });

  it.each(['-1', '1.234', 'abc', '', '1e3'])('refuses %p naming the field', (text) => {
    expect(() => parseYuan('price', text)).toThrow(InvalidInputError);
    expect(() => parseYuan('price', text)).toThrow(/^price: /);
  });

  it('refuses negative, fractional and absurd fen amounts', () => {
    expect(() => assertFen('priceFen', -1)).toThrow('priceFen: 金额不能为负数');
    expect(() => assertFen('priceFen', 1.5)).toThrow('priceFen: 金额必须是以“分”为单位的整数');
    expect(() => assertFen('priceFen', '100')).toThrow(InvalidInputError);
    expect(() => assertFen('priceFen', 0, { allowZero: false })).toThrow(InvalidInputError);
    expect(() => assertFen('priceFen', 100_000_001)).toThrow('priceFen: 金额超出上限');
    expect(assertFen('priceFen', 0)).toBe(0);
  });

  it('formats fen as yuan', () => {
    expect(formatFen(12850)).toBe('¥128.50');
    expect(formatFen(168800)).toBe('¥1,688.00');
    expect(formatFen(7)).toBe('¥0.07');
    expect(formatFen(-250)).toBe('-¥2.50');
  });
});

describe('GTIN', () => {
  it('validates GS1 check digits', () => {
    expect(isValidGtin('6901234567892')).toBe(true);
    expect(isValidGtin('6901234567893')).toBe(false);
    expect(isValidGtin('96385074')).toBe(true);
    expect(isValidGtin('69012345678')).toBe(false);
    expect(gtinCheckDigit('690123456789')).toBe('2');
  });
});
