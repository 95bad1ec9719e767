export * from './temperature';
export * from './excursion-detector';
export * from './transitions';
export * from './shipment';
export * from './hold';
export * from './recall';
export * from './planning';
