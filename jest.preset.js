const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  // Some suites leave client sockets (kafkajs, ioredis, keep-alive HTTP) to close on their own after the
  // last test; Jest would wait for them without end. The stores are stopped by the global teardown, so
  // exiting then loses nothing. Open handles are tracked in issue 9 item 18.
  forceExit: true,
};
