/**
 * Refuses to start on a Node.js older than the product's line (package.json `engines`: Node.js
 * 24 LTS), with one line instead of the stack trace the first incompatible dependency would
 * throw. main.ts and cli/main.ts import this first, so it runs before any dependency loads
 * (CommonJS output keeps the order of the imports).
 */
const MINIMUM_NODE_MAJOR = 24;

if (Number(process.versions.node.split('.')[0]) < MINIMUM_NODE_MAJOR) {
  process.stderr.write(
    `calendar-relay: refusing to start: Calendar Relay needs Node.js ${MINIMUM_NODE_MAJOR} or later; this is ${process.version}\n`,
  );
  process.exit(1);
}

export {};
