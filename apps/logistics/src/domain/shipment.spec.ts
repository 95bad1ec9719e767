import { decideHold, remedyFor } from './hold';
import { shipmentTransition } from './shipment';
import { TransitionRefused } from './transitions';

describe('shipment lifecycle', () => {
  it('goes pending → planned → dispatched → arrived → delivered', () => {
    let s = shipmentTransition('pending', 'plan');
    s = shipmentTransition(s, 'plan');
    s = shipmentTransition(s, 'dispatch');
    s = shipmentTransition(s, 'arrive');
    expect(shipmentTransition(s, 'deliver')).toBe('delivered');
  });

  it('withdraws before dispatch only', () => {
    expect(shipmentTransition('planned', 'withdraw')).toBe('withdrawn');
    expect(() => shipmentTransition('dispatched', 'withdraw')).toThrow(TransitionRefused);
  });

  it('refuses plan edits once the route left, with a code and a Chinese reason', () => {
    try {
      shipmentTransition('dispatched', 'edit-plan');
      throw new Error('not refused');
    } catch (e) {
      expect(e).toBeInstanceOf(TransitionRefused);
      expect((e as TransitionRefused).code).toBe('SHIPMENT_EDIT_PLAN_REFUSED');
      expect((e as TransitionRefused).reasonZh).toContain('配送中');
    }
  });
});

describe('holds (excursion exception: held → released | rejected)', () => {
  const at = new Date('2026-11-30T03:00:00Z');
  it('records who decided and why', () => {
    expect(decideHold({ status: 'held', cause: 'excursion' }, 'release', 'u-qa', ' 芯温复测 −18.5 °C ', at)).toEqual({
      status: 'released', decidedBy: 'u-qa', reason: '芯温复测 −18.5 °C', decidedAt: at,
    });
    expect(decideHold({ status: 'held', cause: 'excursion' }, 'reject', 'u-qa', '解冻', at).status).toBe('rejected');
  });

  it('refuses a second decision, releasing a recall, and a decision without a reason', () => {
    expect(() => decideHold({ status: 'released', cause: 'excursion' }, 'reject', 'u', 'x', at)).toThrow(/HOLD_ALREADY_DECIDED/);
    expect(() => decideHold({ status: 'held', cause: 'recall' }, 'release', 'u', 'x', at)).toThrow(/RECALL_CANNOT_BE_RELEASED/);
    expect(() => decideHold({ status: 'held', cause: 'excursion' }, 'release', 'u', '  ', at)).toThrow(/REASON_REQUIRED/);
  });

  it('refunds retail, replaces for contracts and hot meals', () => {
    expect(remedyFor('retail')).toBe('refund');
    expect(remedyFor('contract')).toBe('replace');
    expect(remedyFor('hot_meal')).toBe('replace');
  });
});
