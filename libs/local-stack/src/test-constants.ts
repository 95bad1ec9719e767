/** Where the Jest global setup publishes the throw-away redis-server's URL (no imports: loaded outside Jest's resolver). */
export const TEST_REDIS_URL_ENV = 'TECHAN_TEST_REDIS_URL';
/** Where the Jest global setup publishes the Kafka stand-in's bootstrap address. */
export const TEST_KAFKA_BROKERS_ENV = 'TECHAN_TEST_KAFKA_BROKERS';
