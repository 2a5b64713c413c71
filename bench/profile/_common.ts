// Shared helpers of the profiling scripts: a throwaway server, medians, and
// an optional hook on Deno.connect that times the socket's reads and writes.

import { cpuUsage } from "node:process";
import { startRedisServer } from "../../tests/_support/redis_server.ts";

export { startRedisServer };

/** The median of some figures. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? sorted[mid]!
    : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** CPU time (user + system) this process has used, in milliseconds. */
export function cpuMs(): number {
  const { user, system } = cpuUsage();
  return (user + system) / 1000;
}

/** `--name=value` from the command line, or the fallback. */
export function flag(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const found = Deno.args.find((arg) => arg.startsWith(prefix));
  return found === undefined ? fallback : found.slice(prefix.length);
}

/** What the socket hook counted. */
export interface SocketStats {
  reads: number;
  readBytes: number;
  writes: number;
  writeBytes: number;
  /** performance.now() when the last write call resolved. */
  lastWriteDone: number;
  /** performance.now() when the first read after reset resolved with bytes. */
  firstRead: number;
  /** Sizes of the buffers handed to read(). */
  readSizes: Map<number, number>;
  reset(): void;
}

/**
 * Wraps Deno.connect so each socket it opens counts its reads and writes
 * (one property lookup and a few additions per call: negligible against a
 * read). Must be called before the client connects.
 */
export function hookSockets(): SocketStats {
  const stats: SocketStats = {
    reads: 0,
    readBytes: 0,
    writes: 0,
    writeBytes: 0,
    lastWriteDone: 0,
    firstRead: 0,
    readSizes: new Map(),
    reset() {
      this.reads =
        this.readBytes =
        this.writes =
        this.writeBytes =
          0;
      this.lastWriteDone = this.firstRead = 0;
      this.readSizes.clear();
    },
  };
  const connect = Deno.connect;
  const hooked = async (options: Deno.ConnectOptions) => {
    const conn = await connect(options);
    const read = conn.read.bind(conn);
    const write = conn.write.bind(conn);
    Object.defineProperty(conn, "read", {
      value: async (buffer: Uint8Array) => {
        const n = await read(buffer);
        stats.reads++;
        stats.readSizes.set(
          buffer.length,
          (stats.readSizes.get(buffer.length) ?? 0) + 1,
        );
        if (n !== null) {
          if (stats.firstRead === 0) stats.firstRead = performance.now();
          stats.readBytes += n;
        }
        return n;
      },
    });
    Object.defineProperty(conn, "write", {
      value: async (data: Uint8Array) => {
        const n = await write(data);
        stats.writes++;
        stats.writeBytes += n;
        stats.lastWriteDone = performance.now();
        return n;
      },
    });
    return conn;
  };
  Object.defineProperty(Deno, "connect", { value: hooked, configurable: true });
  return stats;
}
