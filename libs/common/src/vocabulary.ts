/**
 * `@techan/common/vocabulary`: the shared words (marks, tiers, temperature classes, certificate and
 * application states, the reasons a product cannot be bought) without Nest, zod or Node — the entry
 * the web front end imports, so the consoles and the services cannot drift apart.
 */
export * from './contracts/marks';
export * from './contracts/vocabulary';
export * from './contracts/certification-vocabulary';
export * from './contracts/delivery-areas';
export { NOT_PURCHASABLE_REASON_ZH, type NotPurchasableReason } from './contracts/purchasable';
