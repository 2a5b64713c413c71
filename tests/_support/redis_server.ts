// Owns throwaway redis-server children for tests: picks free
// ports, starts the server in the foreground, waits until it answers, and
// stops/restarts/signals it. Never daemonizes and never leaves files behind.

import { RawConnection } from "./raw_connection.ts";
import { makeTlsCerts, type TlsCerts } from "./tls_certs.ts";

export type { TlsCerts } from "./tls_certs.ts";

/** Options of {@linkcode startRedisServer}. */
export interface RedisServerOptions {
  /**
   * Also serve TLS on `tlsPort`, with certs from `tls_certs.ts` (clients need
   * no cert; its own outgoing TLS links present the test client cert).
   */
  tls?: boolean;
  /**
   * Also listen on a unix socket (unixsocketperm 700): `true` for
   * `<dir>/redis.sock`, or an absolute path. Deno scopes unix sockets by exact
   * path (`--allow-net=unix:/abs/path`), so connecting to a temp-dir socket
   * needs plain `net` permission; a fixed path can be listed in deno.json.
   */
  unixSocket?: boolean | string;
  /** `--requirepass`; readiness probes authenticate with it. */
  password?: string;
  /** `--appendonly yes --appendfsync always`: acknowledged writes survive SIGKILL + restart. */
  appendOnly?: boolean;
  /** Extra redis-server arguments, appended last so they override ours. */
  args?: string[];
}

/** A redis-server child process owned by the test. */
export interface RedisServer extends AsyncDisposable {
  readonly hostname: "127.0.0.1";
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, never with the password. */
  readonly url: string;
  /** The TLS port, when `tls`. */
  readonly tlsPort?: number;
  /** `rediss://127.0.0.1:<tlsPort>`, when `tls`. */
  readonly tlsUrl?: string;
  /** The unix socket path, when `unixSocket`. */
  readonly socketPath?: string;
  /** Its temp dir: `redis.log`, AOF, certs. Dispose SIGKILLs the server and removes it. */
  readonly dir: string;
  /** The certs it serves, when `tls`. */
  readonly certs?: TlsCerts;
  /** Sends a signal ("SIGKILL", "SIGSTOP", "SIGCONT"...); a no-op once it exited. */
  kill(signal?: Deno.Signal): void;
  /**
   * SIGTERM (plus SIGCONT, so a stopped server obeys), SIGKILL after 5 s;
   * waits for exit. Takes ~100 ms: Redis acts on SIGTERM in its next cron tick.
   */
  stop(): Promise<void>;
  /**
   * Stops it if running, starts it again on the same port(s) and dir, waits
   * until it answers. `args` are appended for this and later starts (for
   * example `["--requirepass", "other"]`).
   */
  restart(args?: string[]): Promise<void>;
  /** Exit status of the current process. */
  readonly exited: Promise<Deno.CommandStatus>;
}

/** The connection details {@linkcode redisForTest} hands out. */
export interface TestRedis extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly hostname: string;
}

/** How to install redis-server, for the one-line messages below. */
const INSTALL =
  "install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)";

/**
 * The one line that says redis-server is missing and the ways on: for the
 * demo (`"demo"`), which can use a running server instead; for the tests
 * (`"tests"`), most of which start, stop and kill servers of their own.
 */
export function redisServerMissing(what: "demo" | "tests"): string {
  return what === "demo"
    ? `Cannot run the demo: redis-server is not on PATH: ${INSTALL}, or point REDIS_URL at a running server (REDIS_URL=redis://127.0.0.1:6379 deno task demo)`
    : `Cannot run the tests: redis-server is not on PATH: ${INSTALL}; REDIS_URL is not enough, the tests start throwaway servers of their own`;
}

/** The error message used when redis-server is missing. */
export const REDIS_NOT_INSTALLED =
  "redis-server is not on PATH: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)";

const HOSTNAME = "127.0.0.1";
const READY_TIMEOUT_MS = 10_000;
const PROBE_TIMEOUT_MS = 1_000;
const POLL_INTERVAL_MS = 5;
const STOP_GRACE_MS = 5_000;
const START_ATTEMPTS = 5;
const LOG_TAIL_LINES = 30;
const STDERR_LIMIT = 64 * 1024;

let installed: boolean | undefined;

/**
 * Whether `redis-server` can be run (cached). For `Deno.test({ ignore })`;
 * {@linkcode assertRedisInstalled} throws the install hint instead.
 */
export function isRedisInstalled(): boolean {
  if (installed === undefined) {
    try {
      new Deno.Command("redis-server", {
        args: ["--version"],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).outputSync();
      installed = true;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      installed = false;
    }
  }
  return installed;
}

/** Throws an Error saying how to install redis-server when it is missing. */
export function assertRedisInstalled(): void {
  if (!isRedisInstalled()) throw new Error(REDIS_NOT_INSTALLED);
}

/**
 * Starts a throwaway redis-server on free loopback port(s) and resolves once
 * it answers PING. Release it with `await using`.
 */
export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<RedisServer> {
  const dir = await Deno.makeTempDir({ prefix: "sleeve-redis-" });
  try {
    const certs = options.tls ? await makeTlsCerts(dir) : undefined;
    for (let attempt = 1;; attempt++) {
      const [port, tlsPort] = freePorts(options.tls ? 2 : 1);
      const server = new Server(dir, port, tlsPort, certs, options);
      const failure = await server.start();
      if (failure === undefined) return server;
      // Another process took the port between our probe and redis' bind.
      if (failure.portInUse && attempt < START_ATTEMPTS) continue;
      throw failure.error;
    }
  } catch (error) {
    await Deno.remove(dir, { recursive: true });
    throw error;
  }
}

/**
 * "A Redis" for tests that need nothing special. With REDIS_URL set it points
 * there and dispose runs FLUSHALL over a raw socket, leaving the server up;
 * otherwise it starts a throwaway server that dispose stops.
 */
export async function redisForTest(): Promise<TestRedis> {
  const shared = Deno.env.get("REDIS_URL");
  if (!shared) return await startRedisServer();
  const url = new URL(shared);
  if (url.protocol !== "redis:") {
    throw new Error(`REDIS_URL must be a redis:// URL, got ${url.protocol}`);
  }
  const hostname = url.hostname || HOSTNAME;
  const port = url.port ? Number(url.port) : 6379;
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return {
    url: shared,
    hostname,
    port,
    async [Symbol.asyncDispose]() {
      using conn = await RawConnection.connect({ hostname, port });
      if (password) {
        const auth = username
          ? ["AUTH", username, password]
          : ["AUTH", password];
        expectReply(await conn.command(auth), "+OK\r\n", "AUTH");
      }
      expectReply(await conn.command(["FLUSHALL"]), "+OK\r\n", "FLUSHALL");
    },
  };
}

function expectReply(
  reply: string | null,
  expected: string,
  what: string,
): void {
  // Never echo a password: only the command name goes in the message.
  if (reply !== expected) {
    throw new Error(`${what} on REDIS_URL answered ${JSON.stringify(reply)}`);
  }
}

/** Ports the kernel considers free right now; all held open together so they differ. */
function freePorts(count: number): number[] {
  const listeners = Array.from(
    { length: count },
    () => Deno.listen({ hostname: HOSTNAME, port: 0 }),
  );
  const ports = listeners.map((listener) => listener.addr.port);
  for (const listener of listeners) listener.close();
  return ports;
}

interface StartFailure {
  error: Error;
  portInUse: boolean;
}

class Server implements RedisServer {
  readonly hostname = HOSTNAME;
  readonly port: number;
  readonly url: string;
  readonly tlsPort?: number;
  readonly tlsUrl?: string;
  readonly socketPath?: string;
  readonly dir: string;
  readonly certs?: TlsCerts;
  #args: string[];
  readonly #password?: string;
  #child!: Deno.ChildProcess;
  #exited!: Promise<Deno.CommandStatus>;
  #status: Deno.CommandStatus | undefined;
  #stderr!: Promise<string>;
  #disposed = false;

  constructor(
    dir: string,
    port: number,
    tlsPort: number | undefined,
    certs: TlsCerts | undefined,
    options: RedisServerOptions,
  ) {
    this.dir = dir;
    this.port = port;
    this.url = `redis://${HOSTNAME}:${port}`;
    this.#password = options.password;
    const args = [
      "--port",
      String(port),
      "--bind",
      HOSTNAME,
      "--save",
      "",
      "--appendonly",
      "no",
      "--enable-debug-command",
      "local",
      "--dir",
      dir,
      "--logfile",
      `${dir}/redis.log`,
      "--daemonize",
      "no",
    ]; // deno-fmt-ignore
    if (tlsPort !== undefined && certs) {
      this.tlsPort = tlsPort;
      this.tlsUrl = `rediss://${HOSTNAME}:${tlsPort}`;
      this.certs = certs;
      args.push(
        "--tls-port", String(tlsPort),
        "--tls-cert-file", certs.serverCertPath,
        "--tls-key-file", certs.serverKeyPath,
        "--tls-ca-cert-file", certs.caCertPath,
        "--tls-auth-clients", "no",
        // Its own outgoing links (TLS replication, the TLS cluster bus)
        // present this: the bus always asks the peer for a client cert, and
        // the server cert is good for serverAuth only.
        "--tls-client-cert-file", certs.clientCertPath,
        "--tls-client-key-file", certs.clientKeyPath,
      ); // deno-fmt-ignore
    }
    if (options.unixSocket) {
      this.socketPath = typeof options.unixSocket === "string"
        ? options.unixSocket
        : `${dir}/redis.sock`;
      args.push("--unixsocket", this.socketPath, "--unixsocketperm", "700");
    }
    if (options.password !== undefined) {
      args.push("--requirepass", options.password);
    }
    if (options.appendOnly) {
      args.push("--appendonly", "yes", "--appendfsync", "always");
    }
    args.push(...options.args ?? []);
    this.#args = args;
  }

  get exited(): Promise<Deno.CommandStatus> {
    return this.#exited;
  }

  /** Spawns and waits for readiness; on failure the child is gone. */
  async start(): Promise<StartFailure | undefined> {
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command("redis-server", {
        args: this.#args,
        stdin: "null",
        stdout: "null",
        // Config errors go to stderr before the logfile is opened.
        stderr: "piped",
      }).spawn();
    } catch (error) {
      // One line, no cause: the NotFound says nothing more.
      if (error instanceof Deno.errors.NotFound) {
        throw new Error(REDIS_NOT_INSTALLED);
      }
      throw error;
    }
    this.#child = child;
    this.#status = undefined;
    this.#exited = child.status.then((status) => {
      if (this.#child === child) this.#status = status;
      return status;
    });
    this.#stderr = collect(child.stderr);

    const deadline = Date.now() + READY_TIMEOUT_MS;
    let lastError: unknown;
    while (this.#status === undefined) {
      if (Date.now() > deadline) {
        this.#signal("SIGKILL");
        await this.#exited;
        await this.#stderr;
        return {
          error: new Error(
            `redis-server did not answer PING on port ${this.port} within ` +
              `${READY_TIMEOUT_MS} ms (last: ${lastError})\n${await this
                .#logTail()}`,
          ),
          portInUse: false,
        };
      }
      try {
        if (await this.#probe()) return undefined;
      } catch (error) {
        lastError = error;
      }
      await delay(POLL_INTERVAL_MS);
    }
    const status = await this.#exited;
    const stderr = await this.#stderr;
    const log = await this.#logTail();
    return {
      error: new Error(
        `redis-server exited before answering (code ${status.code}):\n` +
          `${stderr}${log}`,
      ),
      portInUse: /in use/i.test(stderr + log),
    };
  }

  kill(signal: Deno.Signal = "SIGTERM"): void {
    this.#signal(signal);
  }

  async stop(): Promise<void> {
    if (this.#status === undefined) {
      this.#signal("SIGTERM");
      // A SIGSTOPped server only acts on the SIGTERM once continued.
      this.#signal("SIGCONT");
      const timer = setTimeout(() => this.#signal("SIGKILL"), STOP_GRACE_MS);
      try {
        await this.#exited;
      } finally {
        clearTimeout(timer);
      }
    }
    await this.#stderr;
  }

  async restart(args?: string[]): Promise<void> {
    await this.stop();
    if (args !== undefined) this.#args = [...this.#args, ...args];
    const failure = await this.start();
    if (failure) throw failure.error;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    // Its data is about to be deleted, so skip the graceful path: SIGTERM is
    // only acted on in serverCron (hz 10), which costs ~100 ms per server.
    this.#signal("SIGKILL");
    await this.#exited;
    await this.#stderr;
    await Deno.remove(this.dir, { recursive: true });
    // A SIGKILLed server leaves its socket file; one outside `dir` is ours to remove.
    if (this.socketPath && !this.socketPath.startsWith(`${this.dir}/`)) {
      await Deno.remove(this.socketPath).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    }
  }

  #signal(signal: Deno.Signal): void {
    if (this.#status !== undefined) return;
    try {
      this.#child.kill(signal);
    } catch (error) {
      // Reaped but our status callback has not run yet: it already exited.
      if (!(error instanceof TypeError)) throw error;
    }
  }

  /** True once this very process answers PING (not -LOADING, not someone else). */
  async #probe(): Promise<boolean> {
    using conn = await RawConnection.connect({
      hostname: HOSTNAME,
      port: this.port,
    });
    const options = { timeoutMs: PROBE_TIMEOUT_MS };
    if (this.#password !== undefined) {
      const auth = await conn.command(["AUTH", this.#password], options);
      // A password changed through restart(args): it answers, as below.
      if (auth?.startsWith("-WRONGPASS")) return true;
      if (auth !== "+OK\r\n") return false;
    }
    const pong = await conn.command(["PING"], options);
    // requirepass came through `args`: it answers, which is all we can check.
    if (pong?.startsWith("-NOAUTH")) return true;
    if (pong !== "+PONG\r\n") return false;
    const info = await conn.command(["INFO", "server"], options);
    return info?.includes(`\r\nprocess_id:${this.#child.pid}\r\n`) ?? false;
  }

  async #logTail(): Promise<string> {
    try {
      const log = await Deno.readTextFile(`${this.dir}/redis.log`);
      return log.trimEnd().split("\n").slice(-LOG_TAIL_LINES).join("\n");
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return "(no redis.log)";
      throw error;
    }
  }
}

/** Reads a pipe to its end (keeping the first 64 KiB) so it is never left open. */
async function collect(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    if (text.length < STDERR_LIMIT) {
      text += decoder.decode(chunk, { stream: true });
    }
  }
  return text;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
