export * from './contracts/marks';
export * from './contracts/certification.events';
export * from './contracts/orders.events';
export * from './contracts/catalog.events';
export * from './contracts/registry';
export * from './contracts/purchasable';
