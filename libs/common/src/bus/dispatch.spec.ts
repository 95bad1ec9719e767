import { errorReason } from './dispatch';

describe('errorReason', () => {
  it('names an Error by its name and message', () => {
    expect(errorReason(new TypeError('bad'))).toBe('TypeError: bad');
  });

  it('shows a plain object (what Nest emits for a failed event handler) instead of [object Object]', () => {
    expect(errorReason({ status: 'error', message: 'Internal server error' })).toBe('{"status":"error","message":"Internal server error"}');
  });

  it('falls back to String for circular objects and other values', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(errorReason(circular)).toBe('[object Object]');
    expect(errorReason('gone')).toBe('gone');
  });
});
