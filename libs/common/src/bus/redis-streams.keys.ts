/** Key layout of the Redis Streams transport, shared by producer and consumer. */
export class StreamKeys {
  constructor(readonly prefix = 'techan') {}
  stream(type: string, partition: number) {
    return `${this.prefix}:stream:${type}:${partition}`;
  }
  lease(group: string, stream: string) {
    return `${this.prefix}:lease:${group}:${stream}`;
  }
  members(group: string) {
    return `${this.prefix}:members:${group}`;
  }
  attempts(group: string) {
    return `${this.prefix}:attempts:${group}`;
  }
  deadLetter(group: string) {
    return `${this.prefix}:dlq:${group}`;
  }
}
