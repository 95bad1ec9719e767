import { common } from './common';

describe('common', () => {
  it('should work', () => {
    expect(common()).toEqual('common');
  });
});
