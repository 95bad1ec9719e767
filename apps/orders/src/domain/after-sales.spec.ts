import { CaseError, complaintSeverity, decide, mayDecide, returnWindowOpen } from './after-sales';

describe('after-sales cases', () => {
  it('merchants decide returns and exchanges; only the operator decides complaints and 假一赔廿 claims', () => {
    expect(mayDecide('return', 'merchant')).toBe(true);
    expect(mayDecide('complaint', 'merchant')).toBe(false);
    expect(() => decide('fake_claim', 'submitted', 'merchant', true)).toThrow(CaseError);
    expect(decide('fake_claim', 'submitted', 'operator', true)).toBe('resolved');
  });

  it('decides once', () => {
    expect(decide('return', 'submitted', 'merchant', false)).toBe('rejected');
    expect(decide('exchange', 'submitted', 'merchant', true)).toBe('approved');
    expect(() => decide('return', 'resolved', 'operator', true)).toThrow('该申请已处理');
  });

  it('opens the return window only after delivery: 7 days for a change of mind, 15 for quality', () => {
    const delivered = new Date('2026-11-01T00:00:00Z');
    expect(returnWindowOpen(undefined, delivered, 'quality')).toBe(false);
    expect(returnWindowOpen(delivered, new Date('2026-11-09T00:00:00Z'), 'changed_mind')).toBe(false);
    expect(returnWindowOpen(delivered, new Date('2026-11-09T00:00:00Z'), 'quality')).toBe(true);
  });

  it('safety and fake complaints are major', () => {
    expect(complaintSeverity('fake')).toBe('major');
    expect(complaintSeverity('service')).toBe('minor');
  });
});
