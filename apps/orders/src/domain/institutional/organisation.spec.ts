import { creditCodeProblem, keepsRetainedSamples, withCreditCheckChar } from './organisation';

describe('organisations', () => {
  it('checks the unified social credit code (GB 32100-2015)', () => {
    expect(creditCodeProblem('91440783MA4UK7R28A')).toBeNull(); // a catalog demo merchant's code
    expect(creditCodeProblem('91440783MA4UK7R28B')).toMatch(/校验位/);
    expect(creditCodeProblem('1244078')).toMatch(/18位/);
    expect(creditCodeProblem(withCreditCheckChar('12440783MB2C34567'))).toBeNull();
  });
  it('schools and hospitals keep retained samples', () => {
    expect(keepsRetainedSamples('school')).toBe(true);
    expect(keepsRetainedSamples('agency')).toBe(false);
  });
});
