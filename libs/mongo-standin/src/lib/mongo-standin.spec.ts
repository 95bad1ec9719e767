import { mongoStandin } from './mongo-standin';

describe('mongoStandin', () => {
  it('should work', () => {
    expect(mongoStandin()).toEqual('mongo-standin');
  });
});
