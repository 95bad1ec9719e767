/** Injection tokens of the shared plumbing. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const SERVICE_DEFINITION = Symbol('SERVICE_DEFINITION');
export const EVENT_CLIENT = Symbol('EVENT_CLIENT');
export const REDIS = Symbol('REDIS');
