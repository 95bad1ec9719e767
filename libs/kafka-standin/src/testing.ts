/** Where the Jest global setup publishes the stand-in's bootstrap address (no imports: loaded outside Jest's resolver). */
export const TEST_KAFKA_BROKERS_ENV = 'TECHAN_TEST_KAFKA_BROKERS';
