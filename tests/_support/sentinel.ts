// Owns throwaway Sentinel sets for tests: one master and one replica
// (redis_server.ts) and sentinels (`redis-server sentinel.conf --sentinel`),
// each with its own writable config file in its own temp dir, on free
// loopback ports; waits until every sentinel knows the replica and the other
// sentinels. Dispose SIGKILLs every process by its pid and removes the dirs.

import { connect, type Redis } from "../../mod.ts";
import { RawConnection } from "./raw_connection.ts";
import {
  type RedisServer,
  startRedisServer,
  type TlsCerts,
} from "./redis_server.ts";

/** The name the sets' sentinels monitor their master under. */
export const MASTER_NAME = "mymaster";

/** Options of {@linkcode startSentinelSet}. */
export interface SentinelSetOptions {
  /** Sentinels (default 3). */
  sentinels?: number;
  /** `down-after-milliseconds` (default 1000). */
  downAfterMs?: number;
  /** `failover-timeout` (default 3000). */
  failoverTimeoutMs?: number;
}

/** A sentinel process owned by the test. */
export interface SentinelProcess extends AsyncDisposable {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` (`rediss:` with TLS), never with credentials. */
  readonly url: string;
  /** Its temp dir: `sentinel.conf` (rewritten by the sentinel), `sentinel.log`. */
  readonly dir: string;
  /** Sends a signal; a no-op once it exited. */
  kill(signal?: Deno.Signal): void;
  /** SIGKILL, then waits for the exit. */
  stop(): Promise<void>;
}

/** One master, one replica and their sentinels. */
export interface SentinelSet extends AsyncDisposable {
  readonly master: RedisServer;
  readonly replica: RedisServer;
  readonly sentinels: readonly SentinelProcess[];
  /** The sentinels' URLs. */
  readonly urls: string[];
}

/**
 * Starts a master, a replica of it, and sentinels monitoring it as
 * {@linkcode MASTER_NAME} (quorum 2); resolves once the replica is in sync
 * and every sentinel knows the replica and every other sentinel.
 */
export async function startSentinelSet(
  options: SentinelSetOptions = {},
): Promise<SentinelSet> {
  const count = options.sentinels ?? 3;
  const owned: AsyncDisposable[] = [];
  try {
    // A full sync otherwise waits 5 s for more replicas (diskless sync delay).
    const fast = ["--repl-diskless-sync-delay", "0"];
    const master = await startRedisServer({ args: fast });
    owned.push(master);
    const replica = await startRedisServer({
      args: [...fast, "--replicaof", "127.0.0.1", String(master.port)],
    });
    owned.push(replica);
    // After a diskless full sync the master streams writes to the replica
    // only once the replica has acknowledged (up to 1 s later): until then a
    // kill -9 of the master loses every write. WAIT tells when it streams.
    await waitFor("the replica to sync", async () => {
      await using redis = await connect({ port: master.port, protocol: 2 });
      await redis.set("sentinel-set:ready", "1");
      return await redis.send("WAIT", "1", "100") === 1;
    });
    const lines = [
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master.port} 2`,
      `sentinel down-after-milliseconds ${MASTER_NAME} ${
        options.downAfterMs ?? 1000
      }`,
      `sentinel failover-timeout ${MASTER_NAME} ${
        options.failoverTimeoutMs ?? 3000
      }`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
    ];
    // Each sentinel is told its replica and its peers up front, so the set
    // is whole at once rather than after their hello messages (~2-10 s).
    lines.push(
      `sentinel known-replica ${MASTER_NAME} 127.0.0.1 ${replica.port}`,
    );
    const peers = Array.from({ length: count }, () => ({
      port: freePort(),
      id: randomId(),
    }));
    const sentinels = await Promise.all(peers.map(async (self) => {
      const sentinel = await startSentinel(
        [
          `sentinel myid ${self.id}`,
          ...lines,
          ...peers.filter((peer) => peer !== self).map((peer) =>
            `sentinel known-sentinel ${MASTER_NAME} 127.0.0.1 ${peer.port} ${peer.id}`
          ),
        ],
        { port: self.port },
      );
      owned.push(sentinel);
      return sentinel;
    }));
    for (const sentinel of sentinels) {
      await waitFor("the sentinels to know each other", async () => {
        const fields = await sentinelMaster(sentinel.port);
        return fields.get("num-slaves") === "1" &&
          fields.get("num-other-sentinels") === String(count - 1);
      });
    }
    return {
      master,
      replica,
      sentinels,
      urls: sentinels.map((s) => s.url),
      async [Symbol.asyncDispose]() {
        await disposeAll(owned);
      },
    };
  } catch (error) {
    await disposeAll(owned);
    throw error;
  }
}

/** Options of {@linkcode startSentinel}. */
export interface SentinelOptions {
  /** Its `requirepass`, for the readiness probe (set it in `lines` too). */
  password?: string;
  /** The port to listen on (default: a free one). */
  port?: number;
  /**
   * Serve TLS only, with these certs, and reach the master over TLS
   * (`tls-replication yes`): monitor the master's TLS port.
   */
  tls?: TlsCerts;
}

/**
 * Starts one sentinel with `lines` in its config (`port`, `dir` and the log
 * are added), and waits until it answers PING.
 */
export async function startSentinel(
  lines: readonly string[],
  options: SentinelOptions = {},
): Promise<SentinelProcess> {
  const dir = await Deno.makeTempDir({ prefix: "sleeve-sentinel-" });
  const { tls } = options;
  try {
    for (let attempt = 1;; attempt++) {
      const port = options.port ?? freePort();
      const conf = `${dir}/sentinel.conf`;
      const listen = tls === undefined ? [`port ${port}`] : [
        "port 0",
        `tls-port ${port}`,
        `tls-cert-file ${tls.serverCertPath}`,
        `tls-key-file ${tls.serverKeyPath}`,
        `tls-ca-cert-file ${tls.caCertPath}`,
        "tls-auth-clients no",
        "tls-replication yes",
      ];
      await Deno.writeTextFile(
        conf,
        [
          ...listen,
          "bind 127.0.0.1",
          "daemonize no",
          `dir ${dir}`,
          `logfile ${dir}/sentinel.log`,
          ...lines,
          "",
        ].join("\n"),
      );
      const child = new Deno.Command("redis-server", {
        args: [conf, "--sentinel"],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
      const process = new Sentinel(port, dir, child, tls !== undefined);
      if (await process.ready(options.password, tls)) return process;
      await process.stop();
      if (attempt >= 3 || options.port !== undefined) {
        const log = await Deno.readTextFile(`${dir}/sentinel.log`).catch(
          () => "(no log)",
        );
        throw new Error(`sentinel did not start on port ${port}:\n${log}`);
      }
    }
  } catch (error) {
    await Deno.remove(dir, { recursive: true });
    throw error;
  }
}

/** `SENTINEL MASTER mymaster` on a sentinel, as a map of its fields. */
export async function sentinelMaster(
  port: number,
  password?: string,
): Promise<Map<string, string>> {
  await using redis = await connect({ port, password, protocol: 2 });
  const reply = await redis.send("SENTINEL", "MASTER", MASTER_NAME) as string[];
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < reply.length; i += 2) {
    fields.set(reply[i]!, reply[i + 1]!);
  }
  return fields;
}

/** The port a sentinel gives for the master now. */
export async function masterPort(port: number): Promise<number> {
  await using redis = await connect({ port, protocol: 2 });
  const reply = await redis.send(
    "SENTINEL",
    "GET-MASTER-ADDR-BY-NAME",
    MASTER_NAME,
  ) as string[];
  return Number(reply[1]);
}

/** A plain client of one server (RESP2, no reconnection), for checks. */
export function admin(port: number): Promise<Redis> {
  return connect({ port, protocol: 2, reconnect: false });
}

/** Polls `check` every 50 ms until it is true; throws after `ms`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what} (last error: ${last})`);
}

class Sentinel implements SentinelProcess {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  readonly #child: Deno.ChildProcess;
  #status: Deno.CommandStatus | undefined;
  readonly #exited: Promise<Deno.CommandStatus>;
  #disposed = false;

  constructor(
    port: number,
    dir: string,
    child: Deno.ChildProcess,
    tls: boolean,
  ) {
    this.port = port;
    this.url = `${tls ? "rediss" : "redis"}://127.0.0.1:${port}`;
    this.dir = dir;
    this.#child = child;
    this.#exited = child.status.then((status) => this.#status = status);
  }

  /** Whether it answers PING within 5 s (false once it exited). */
  async ready(password?: string, tls?: TlsCerts): Promise<boolean> {
    const deadline = Date.now() + 5_000;
    while (this.#status === undefined && Date.now() < deadline) {
      try {
        using conn = tls === undefined
          ? await RawConnection.connect({ port: this.port })
          : new RawConnection(
            await Deno.connectTls({
              hostname: "127.0.0.1",
              port: this.port,
              caCerts: [tls.caCert],
            }),
          );
        if (password !== undefined) {
          await conn.command(["AUTH", password], { timeoutMs: 1_000 });
        }
        const pong = await conn.command(["PING"], { timeoutMs: 1_000 });
        if (pong === "+PONG\r\n") return true;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return false;
  }

  kill(signal: Deno.Signal = "SIGTERM"): void {
    if (this.#status !== undefined) return;
    try {
      this.#child.kill(signal);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
    }
  }

  async stop(): Promise<void> {
    this.kill("SIGKILL");
    await this.#exited;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.stop();
    await Deno.remove(this.dir, { recursive: true });
  }
}

async function disposeAll(owned: AsyncDisposable[]): Promise<void> {
  const errors: unknown[] = [];
  for (const item of owned.reverse()) {
    try {
      await item[Symbol.asyncDispose]();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}

/** A sentinel run id: 40 hex digits. */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}
