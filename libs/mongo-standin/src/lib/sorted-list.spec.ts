import fc from 'fast-check';
import { SortedList } from './sorted-list';

describe('SortedList', () => {
  it('behaves like a sorted array under random inserts and removals', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 50 })), { maxLength: 400 }), (ops) => {
        const list = new SortedList<number>((a, b) => a - b, 4);
        const model: number[] = [];
        for (const [isInsert, value] of ops) {
          if (isInsert) {
            list.insert(value);
            model.push(value);
            model.sort((a, b) => a - b);
          } else {
            const i = model.indexOf(value);
            expect(list.remove(value)).toBe(i >= 0);
            if (i >= 0) model.splice(i, 1);
          }
        }
        expect([...list]).toEqual(model);
        expect([...list.before()]).toEqual([...model].reverse());
        expect(list.size).toBe(model.length);
        const from = model.findIndex((v) => v >= 25);
        expect([...list.from((v) => v >= 25)]).toEqual(from < 0 ? [] : model.slice(from));
      }),
    );
  });
});
