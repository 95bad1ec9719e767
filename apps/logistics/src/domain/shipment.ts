import { TransitionRefused } from './transitions';

/**
 * A shipment is one delivery request on its way: pending (not on a published plan) → planned →
 * dispatched (the vehicle left) → arrived → delivered; or withdrawn when its order was cancelled
 * before dispatch. Re-publishing a plan may move a planned shipment to another route (planned → planned).
 */
export const SHIPMENT_STATUSES = ['pending', 'planned', 'dispatched', 'arrived', 'delivered', 'withdrawn'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const SHIPMENT_STATUS_ZH: Record<ShipmentStatus, string> = {
  pending: '待排线',
  planned: '已排线',
  dispatched: '配送中',
  arrived: '已到达',
  delivered: '已签收',
  withdrawn: '已撤回',
};

export type ShipmentCommand = 'plan' | 'dispatch' | 'arrive' | 'deliver' | 'withdraw' | 'edit-plan';

const ALLOWED: Record<ShipmentCommand, readonly ShipmentStatus[]> = {
  plan: ['pending', 'planned'],
  'edit-plan': ['pending', 'planned'],
  dispatch: ['planned'],
  arrive: ['dispatched'],
  deliver: ['dispatched', 'arrived'],
  withdraw: ['pending', 'planned'],
};

const NEXT: Record<ShipmentCommand, ShipmentStatus | undefined> = {
  plan: 'planned',
  'edit-plan': undefined,
  dispatch: 'dispatched',
  arrive: 'arrived',
  deliver: 'delivered',
  withdraw: 'withdrawn',
};

const REFUSAL_ZH: Record<ShipmentCommand, string> = {
  plan: '只有待排线或已排线的运单可以排线',
  'edit-plan': '运单已发车或已结束，不能再调整路线',
  dispatch: '只有已排线的运单可以发车',
  arrive: '只有配送中的运单可以到达',
  deliver: '只有配送中或已到达的运单可以签收',
  withdraw: '运单已发车，不能撤回',
};

/** The status after `command`, or TransitionRefused (409) naming why. */
export function shipmentTransition(status: ShipmentStatus, command: ShipmentCommand): ShipmentStatus {
  if (!ALLOWED[command].includes(status)) {
    throw new TransitionRefused(`SHIPMENT_${command.toUpperCase().replace('-', '_')}_REFUSED`, `${REFUSAL_ZH[command]}（当前：${SHIPMENT_STATUS_ZH[status]}）`);
  }
  return NEXT[command] ?? status;
}

export function isUndelivered(status: ShipmentStatus): boolean {
  return status === 'pending' || status === 'planned' || status === 'dispatched' || status === 'arrived';
}
