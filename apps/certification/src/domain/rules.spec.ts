import { DomainRejectedError, ManualClock, addMonths, reject, unwrap, accept } from './rules';

describe('calendar months', () => {
  it.each([
    ['2026-01-31T10:00:00.000Z', 1, '2026-02-28T10:00:00.000Z'],
    ['2028-01-31T10:00:00.000Z', 1, '2028-02-29T10:00:00.000Z'],
    ['2026-03-15T00:00:00.000Z', 12, '2027-03-15T00:00:00.000Z'],
    ['2026-12-31T23:59:59.999Z', 2, '2027-02-28T23:59:59.999Z'],
    ['2026-03-31T00:00:00.000Z', -1, '2026-02-28T00:00:00.000Z'],
    ['2026-03-01T00:00:00.000Z', -36, '2023-03-01T00:00:00.000Z'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(new Date(from), months).toISOString()).toBe(expected);
  });
});

describe('outcomes and clock', () => {
  it('unwrap returns the value or throws the rejection', () => {
    expect(unwrap(accept(3))).toBe(3);
    const error = (() => {
      try {
        unwrap(reject('nope', '不行'));
      } catch (e) {
        return e as DomainRejectedError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(DomainRejectedError);
    expect(error?.code).toBe('nope');
    expect(error?.message).toBe('不行');
  });

  it('a manual clock moves only when told', () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const first = clock.now();
    first.setFullYear(2000); // callers cannot move the clock through the returned Date
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    clock.advance(1000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.000Z');
    clock.set('2027-01-01T00:00:00Z');
    expect(clock.now().getUTCFullYear()).toBe(2027);
  });
});
