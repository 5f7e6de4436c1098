import { Socket } from 'node:net';

/**
 * Records every outgoing TCP connection the process starts, and refuses any that is not to this
 * machine: the proof that the relay, configured for the emulator, talks to nothing else (no
 * instance discovery at login.microsoftonline.com, no Graph host), and a guard that keeps a
 * broken build from trying. Every client in Node (node:https for @azure/identity, fetch for
 * the Graph SDK) connects through net.Socket#connect.
 */

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;

export interface OutboundConnection {
  readonly host: string;
  readonly port: number;
}

export interface OutboundConnectionLog {
  readonly connections: readonly OutboundConnection[];
  /** Stops recording and guarding. */
  restore(): void;
}

export function recordOutboundConnections(): OutboundConnectionLog {
  const connections: OutboundConnection[] = [];
  const original = Socket.prototype.connect;
  const patched = function (this: Socket, ...args: unknown[]): Socket {
    // net.connect() passes its already-normalised [options, callback] array as one argument.
    const [first, second] = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
    const options =
      typeof first === 'object' && first !== null
        ? (first as { host?: string; port?: number | string; path?: string })
        : { port: first as number, host: typeof second === 'string' ? second : undefined };
    // A Unix socket has a path and no port. node:https (tls.connect) also passes a `path`, the
    // request's, next to host and port: a port means TCP whatever else is there.
    if (options.port !== undefined || options.path === undefined) {
      const host = options.host ?? 'localhost';
      connections.push({ host, port: Number(options.port) });
      if (!LOOPBACK.test(host)) {
        process.nextTick(() =>
          this.destroy(new Error(`test guard: refused a connection to ${host}:${options.port}`)),
        );
        return this;
      }
    }
    return (original as (...a: unknown[]) => Socket).apply(this, args);
  };
  Socket.prototype.connect = patched;
  return {
    connections,
    restore: () => {
      Socket.prototype.connect = original;
    },
  };
}
