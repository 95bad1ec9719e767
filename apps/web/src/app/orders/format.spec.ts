import { statusTone, stillSettling, yuan } from './format';

describe('order formatting', () => {
  it('shows fen as yuan', () => {
    expect(yuan(34800)).toBe('¥348.00');
    expect(yuan(5)).toBe('¥0.05');
    expect(yuan(-1250)).toBe('-¥12.50');
  });

  it('tells settled, waiting and ended orders apart', () => {
    expect(statusTone('delivered')).toBe('ok');
    expect(statusTone('awaiting_payment')).toBe('waiting');
    expect(statusTone('refunded')).toBe('ended');
    expect(stillSettling('authorised')).toBe(true);
    expect(stillSettling('paid')).toBe(false);
  });
});
