import { dispatchSolver } from './dispatch-solver';

describe('dispatchSolver', () => {
  it('should work', () => {
    expect(dispatchSolver()).toEqual('dispatch-solver');
  });
});
