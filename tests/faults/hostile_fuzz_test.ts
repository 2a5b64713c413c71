// The hostile-server fuzz: seeded runs of a mixed workload (db(), binary,
// with(), aborts, fireAndForget, close() from listeners) against
// tests/_support/hostile_server.ts, and the invariants every run must keep.
//
// SLEEVE_HOSTILE_SEEDS=<count>[:<first>] sets how many seeds run (default 12)
// and the first (default random); a failure names the seed to replay.

import assert from "node:assert/strict";
import {
  type Bulk,
  connect,
  ConnectionError,
  type ConnectOptions,
  ProtocolError,
  type Redis,
  RedisErrorEvent,
  type RedisView,
  ReplyError,
  TimeoutError,
} from "../../mod.ts";
import { EVENT_TYPES, TimerTracker } from "../_support/events.ts";
import {
  expectedGet,
  expectedIncr,
  hostileKey,
  type HostileServer,
  randomHostileConfig,
  SeededRandom,
  startHostileServer,
} from "../_support/hostile_server.ts";
import { Tally } from "../_support/workload.ts";

// Captured at load, before each run installs its TimerTracker: the
// workload's own pacing and abort timers are not the client's.
const setTimer = globalThis.setTimeout;
const clearTimer = globalThis.clearTimeout;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const OPS = ["get", "echo", "incr", "set", "send"] as const;
/** Per-command timeouts a `with()` view draws from, in ms. */
const TIMEOUTS = [5, 20, 50, 200];
/**
 * How long close() may wait for a server still draining its replies before
 * the test cuts the server, in ms (the out-of-tree fuzz waited up to 180 s).
 */
const SLOW_SERVER_PATIENCE = 10_000;
/** Kinds of failure shown per failing seed. */
const SHOWN = 5;

function settings(): { count: number; first: number } {
  const raw = Deno.env.get("SLEEVE_HOSTILE_SEEDS");
  const random = crypto.getRandomValues(new Uint32Array(1))[0]!;
  if (raw === undefined || raw === "") return { count: 12, first: random };
  const match = raw.match(/^(\d+)(?::(\d+))?$/);
  if (!match) {
    throw new TypeError(
      `SLEEVE_HOSTILE_SEEDS must be <count> or <count>:<first>, got ${raw}`,
    );
  }
  return {
    count: Number(match[1]),
    first: match[2] === undefined ? random : Number(match[2]) >>> 0,
  };
}

/** The first failure of each of the first few kinds (digits aside). */
function firstOfEachKind(failures: readonly string[]): string[] {
  const kinds = new Map<string, string>();
  for (const failure of failures) {
    const kind = failure.replace(/\d+/g, "N");
    if (!kinds.has(kind)) kinds.set(kind, failure);
  }
  const shown = [...kinds.values()].slice(0, SHOWN);
  if (kinds.size > SHOWN) {
    shown.push(`... and ${kinds.size - SHOWN} more kinds`);
  }
  return shown;
}

/** A reply or error, short: bytes as text, errors without their stacks. */
function show(value: unknown): string {
  if (value instanceof Uint8Array) {
    return `bytes ${JSON.stringify(decoder.decode(value))}`;
  }
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return Deno.inspect(value);
}

function showInfinity(_key: string, value: unknown): unknown {
  return value === Infinity ? "Infinity" : value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimer(resolve, ms));
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => queueMicrotask(resolve));
}

/** One awaited command and what must become of it. */
interface Tracked {
  desc: string;
  key: string;
  expected: unknown;
  /** The server answers it with `-ERR boom <key>`. */
  errorReply: boolean;
  /** Its own abort reason, if it has a signal that aborts. */
  reason?: Error;
  settled: number;
}

/** What one seed did. */
interface SeedResult {
  failures: string[];
  /** The seed's server config and client options, to read beside a failure. */
  info: string;
  connected: boolean;
  fireAndForget: number;
  accepted: number;
  /** The server was cut because close() waited on it too long. */
  cut: boolean;
}

/** The client options a seed draws. */
function randomOptions(random: SeededRandom, port: number): ConnectOptions & {
  connectTimeout: number;
} {
  return {
    hostname: "127.0.0.1",
    port,
    protocol: random.pick([2, 3, 3] as const),
    db: random.pick([0, 0, 1, 3]),
    connectTimeout: random.pick([300, 800, 2000]),
    reconnect: random.chance(0.9)
      ? {
        minDelay: random.pick([1, 10, 50]),
        maxDelay: random.pick([50, 200]),
        maxAttempts: random.pick([Infinity, Infinity, 5]),
      }
      : false,
    commandTimeout: random.chance(0.3)
      ? random.pick([30, 100, 400])
      : undefined,
    pingInterval: random.chance(0.3) ? random.pick([30, 100, 300]) : undefined,
    maxQueued: random.chance(0.3) ? random.pick([1, 5, 50]) : undefined,
    maxInFlight: random.chance(0.3) ? random.pick([1, 3, 20]) : undefined,
    maxBufferedBytes: random.chance(0.3)
      ? random.pick([1024, 1500, 4096])
      : undefined,
    queueTimeout: random.pick([50, 200, 1000, 3000]),
  };
}

/** The error kinds a hostile server may cause, whatever the command. */
function allowedFault(error: unknown, server: HostileServer): boolean {
  return error instanceof ConnectionError || error instanceof TimeoutError ||
    (error instanceof ProtocolError && server.sentGarbage);
}

function isFuzzAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "FuzzAbort";
}

function issueOp(
  view: RedisView<"promise" | "void", Bulk>,
  op: typeof OPS[number],
  key: string,
): Promise<unknown> | void {
  switch (op) {
    case "get":
      return view.get(key);
    case "echo":
      return view.echo(key);
    case "incr":
      return view.incr(key);
    case "set":
      return view.set(key, "x");
    case "send":
      return view.send("ECHO", key);
  }
}

function expectedReply(
  op: typeof OPS[number],
  key: string,
  binary: boolean,
): unknown {
  const bulk = (text: string) => binary ? encoder.encode(text) : text;
  switch (op) {
    case "get":
      return bulk(expectedGet(key));
    case "echo":
    case "send":
      return bulk(key);
    case "incr":
      return expectedIncr(key);
    case "set":
      return "OK";
  }
}

async function connectWithRetries(
  options: ConnectOptions,
  timers: TimerTracker,
  fail: (message: string) => void,
): Promise<Redis | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await connect(options);
    } catch (error) {
      if (
        !(error instanceof ConnectionError || error instanceof TimeoutError ||
          error instanceof ProtocolError)
      ) {
        fail(`connect() rejected with ${error}`);
      }
      if (timers.live > 0) {
        fail(`connect() failed (${error}) and left ${timers.live} timers`);
      }
    }
  }
  return undefined;
}

/** Runs one seed: a hostile server, a client, a workload, close(), and every check. */
async function runSeed(seed: number, tally: Tally): Promise<SeedResult> {
  const random = new SeededRandom(seed);
  const failures: string[] = [];
  const fail = (message: string) => void failures.push(message);
  const config = randomHostileConfig(random);
  await using server = startHostileServer(config, (seed + 1_000_003) >>> 0);
  const options = randomOptions(random, server.port);
  const info = `config ${JSON.stringify(config)}, options ${
    JSON.stringify({ ...options, port: undefined }, showInfinity)
  }`;
  const result: SeedResult = {
    failures,
    info,
    connected: false,
    fireAndForget: 0,
    accepted: 0,
    cut: false,
  };
  const unhandled: string[] = [];
  const onUnhandled = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    unhandled.push(String(event.reason?.stack ?? event.reason));
  };
  const abortTimers = new Set<ReturnType<typeof setTimer>>();
  globalThis.addEventListener("unhandledrejection", onUnhandled);
  try {
    using timers = new TimerTracker();
    const client = await connectWithRetries(options, timers, fail);
    if (client === undefined) return result;
    result.connected = true;
    const driven = await drive({
      client,
      random,
      server,
      options,
      timers,
      abortTimers,
      tally,
      fail,
    });
    result.fireAndForget = driven.fireAndForget;
    result.cut = driven.cut;
    if (unhandled.length > 0) {
      fail(`unhandled rejections: ${unhandled.slice(0, 3).join(" || ")}`);
    }
    for (const violation of server.violations) fail(`server: ${violation}`);
    return result;
  } finally {
    for (const timer of abortTimers) clearTimer(timer);
    globalThis.removeEventListener("unhandledrejection", onUnhandled);
    result.accepted = server.accepted;
  }
}

/** What {@linkcode drive} works with. */
interface Run {
  client: Redis;
  random: SeededRandom;
  server: HostileServer;
  options: ReturnType<typeof randomOptions>;
  /** Installed for the whole run: what the client leaves live after close(). */
  timers: TimerTracker;
  /** The workload's own abort timers, cleared when the seed ends. */
  abortTimers: Set<ReturnType<typeof setTimer>>;
  tally: Tally;
  fail: (message: string) => void;
}

/**
 * The workload of one seed on a connected client, then close() and its
 * checks. Resolves with the fire-and-forget commands issued, and whether the
 * server was cut because close() waited on it too long.
 */
async function drive(
  run: Run,
): Promise<{ fireAndForget: number; cut: boolean }> {
  const { client, random, server, options, timers, abortTimers, tally, fail } =
    run;
  let fireAndForget = 0;
  let closing = false;
  let issuing = false;
  let closeEvents = 0;
  const eventLog: string[] = [];
  let closePromise: Promise<void> | undefined;
  // Sometimes close() (and more commands) from inside a listener.
  let closeFrom: string | undefined = random.chance(0.3)
    ? random.pick([
      "disconnect",
      "ready",
      "error",
      "push",
      "connect",
      "reconnecting",
    ])
    : undefined;
  for (const type of EVENT_TYPES) {
    client.addEventListener(type, (event: Event) => {
      eventLog.push(type);
      // A refused command issued after close() is an error event, at once.
      if (closeEvents > 0 && !(type === "error" && issuing)) {
        const detail = event instanceof RedisErrorEvent
          ? ` (${event.command} ${event.error.name}: ${event.error.message})`
          : "";
        fail(`event "${type}" after "close"${detail}`);
      }
      if (type === "close") closeEvents++;
      if (event instanceof RedisErrorEvent) {
        const error = event.error;
        const ok = allowedFault(error, server) || isFuzzAbort(error) ||
          (error instanceof ReplyError && error.message.includes(":err:"));
        if (!ok) {
          fail(`error event with unexpected ${error.name}: ${error.message}`);
        }
      }
      if (type === closeFrom && closing) {
        closeFrom = undefined;
        closePromise ??= client.close();
        if (random.chance(0.5)) issue(random.int(1, 3));
      }
    });
  }

  const commands: Tracked[] = [];
  let nextId = 1;

  function track(command: Tracked, promise: Promise<unknown>): void {
    commands.push(command);
    tally.sent++;
    promise.then(
      (value) => {
        command.settled++;
        if (command.errorReply) {
          fail(
            `${command.desc} resolved ${
              show(value)
            }, but the server sent an error reply`,
          );
        } else if (!tally.check(command.desc, value, command.expected)) {
          fail(
            `${command.desc} resolved ${show(value)}, expected ${
              show(command.expected)
            } (misrouted?)`,
          );
        }
      },
      (error: unknown) => {
        command.settled++;
        tally.reject(error);
        if (error instanceof ReplyError) {
          if (!command.errorReply || !error.message.includes(command.key)) {
            fail(
              `${command.desc} rejected with unexpected ReplyError ${error.message}`,
            );
          }
        } else if (isFuzzAbort(error)) {
          if (error !== command.reason) {
            fail(
              `${command.desc} rejected with another command's abort reason (${
                show(error)
              })`,
            );
          }
        } else if (!allowedFault(error, server)) {
          fail(
            `${command.desc} rejected with unexpected ${show(error)}`,
          );
        }
      },
    );
  }

  function issue(k: number): void {
    const was = issuing;
    issuing = true;
    try {
      for (let j = 0; j < k; j++) issueOne();
    } finally {
      issuing = was;
    }
  }

  function issueOne(): void {
    const id = nextId++;
    const errorReply = random.chance(0.05);
    const db = random.int(0, 3);
    const key = hostileKey(db, id, errorReply);
    let view: RedisView<"promise", Bulk> = client.db(db);
    let reason: Error | undefined;
    const ff = random.chance(0.15);
    const binary = !ff && random.chance(0.2);
    if (binary) view = view.binary;
    const limit = random.fraction();
    if (limit < 0.2) {
      view = view.with({ timeout: random.pick(TIMEOUTS) });
    } else if (limit < 0.35) {
      const controller = new AbortController();
      const own = new Error(`abort ${id}`);
      own.name = "FuzzAbort";
      reason = own;
      const abort = () => controller.abort(own);
      const abortIn = (ms: number) => {
        const timer = setTimer(() => {
          abortTimers.delete(timer);
          abort();
        }, ms);
        abortTimers.add(timer);
      };
      const when = random.int(0, 4);
      if (when === 0) queueMicrotask(abort);
      else if (when === 1) abortIn(random.int(0, 20));
      else if (when === 2) abortIn(random.int(20, 1000));
      else if (when === 3 && random.chance(0.2)) abort();
      view = view.with(
        random.chance(0.3)
          ? { signal: controller.signal, timeout: random.pick(TIMEOUTS) }
          : { signal: controller.signal },
      );
      // A second signal that never aborts must not hide the first.
      if (random.chance(0.2)) {
        view = view.with({ signal: new AbortController().signal });
      }
    }
    const op = random.pick(OPS);
    const desc = `${op} ${key}`;
    let promise: Promise<unknown> | void;
    try {
      promise = issueOp(ff ? view.fireAndForget : view, op, key);
    } catch (error) {
      fail(`${desc} threw synchronously: ${error}`);
      return;
    }
    if (ff) {
      fireAndForget++;
      if (promise !== undefined) {
        fail(`fireAndForget ${desc} returned ${promise}`);
      }
      return;
    }
    if (promise === undefined) {
      fail(`${desc} returned no promise`);
      return;
    }
    track({
      desc,
      key,
      expected: expectedReply(op, key, binary),
      errorReply,
      reason,
      settled: 0,
    }, promise);
  }

  // The workload: bursts in one tick, across ticks, and paced.
  // Up to 2 s (the out-of-tree fuzz ran up to 3 s): a slow server drains the
  // backlog during close(), and 12 seeds must fit in the suite's minute.
  const runMs = random.int(300, 2000);
  const started = performance.now();
  while (performance.now() - started < runMs) {
    const mode = random.fraction();
    if (mode < 0.5) issue(random.int(1, 8));
    else if (mode < 0.7) {
      issue(random.int(1, 3));
      await Promise.resolve();
      issue(random.int(1, 3));
    }
    const wait = random.pick([0, 0, 1, 5, 20, 60]);
    await (wait === 0 ? nextTask() : sleep(wait));
  }
  closing = true;
  if (closeFrom !== undefined) {
    // Give the listener its chance to close the client first.
    issue(random.int(0, 5));
    await sleep(random.int(0, 500));
  }
  if (random.chance(0.5)) issue(random.int(1, 5));
  closePromise ??= client.close();
  if (random.chance(0.3)) {
    const after: Tracked = {
      desc: "GET after close()",
      key: "d0:after",
      expected: undefined,
      errorReply: false,
      settled: 0,
    };
    commands.push(after);
    client.get(after.key).then(
      () => {
        after.settled++;
        fail("a command after close() resolved");
      },
      (error: unknown) => {
        after.settled++;
        if (!(error instanceof ConnectionError)) {
          fail(`a command after close() rejected with ${error}`);
        }
      },
    );
  }
  const second = random.chance(0.3) ? client.close() : Promise.resolve();

  // close() may wait for a live but slow server: it hangs only if it stays
  // pending while the server owes nothing for connectTimeout + 3 s. A server
  // still busy after SLOW_SERVER_PATIENCE is cut; close() must then end.
  let closeResolved = false;
  void Promise.all([closePromise, second]).then(
    () => void (closeResolved = true),
    (error) => {
      fail(`close() rejected: ${error}`);
      closeResolved = true;
    },
  );
  const closeStart = performance.now();
  const grace = options.connectTimeout + 3_000;
  let idleSince = closeStart;
  let cut = false;
  let cutAt = 0;
  while (!closeResolved) {
    await sleep(20);
    const now = performance.now();
    if (cut) {
      if (now - cutAt > grace) break;
      continue;
    }
    if (server.busy()) idleSince = now;
    if (now - idleSince > grace) break;
    if (now - closeStart > SLOW_SERVER_PATIENCE) {
      cut = true;
      cutAt = now;
      await server.close();
    }
  }
  if (!closeResolved) {
    const unsettled = commands.filter((command) => command.settled === 0);
    fail(
      `close() still pending ${
        (performance.now() - closeStart).toFixed(0)
      } ms after it was called, ${
        cut ? "the server cut after it stayed busy" : "the server idle"
      }: ${unsettled.length} of ${commands.length} commands unsettled; ` +
        `server: ${server.describe()}; ready=${client.ready} ` +
        `closed=${client.closed}; last events ${eventLog.slice(-8).join(",")}`,
    );
    // Cut the sockets so the client can finish and release what it holds.
    await server.close();
    await Promise.race([closePromise, sleep(5_000)]);
  } else {
    await sleep(0);
    if (timers.live > 0) fail(`${timers.live} timers left after close()`);
    if (!client.closed) fail("client.closed is false after close()");
  }

  // Every promise settles exactly once.
  const deadline = performance.now() + 10_000;
  while (
    commands.some((command) => command.settled === 0) &&
    performance.now() < deadline
  ) {
    await sleep(20);
  }
  for (const command of commands) {
    if (command.settled === 0) fail(`${command.desc} never settled`);
    if (command.settled > 1) {
      fail(`${command.desc} settled ${command.settled} times`);
    }
  }
  await sleep(20);
  if (closeEvents !== 1) fail(`${closeEvents} close events`);
  return { fireAndForget, cut };
}

Deno.test("Redis survives a hostile server: N seeded runs, no misrouted reply, no hang, no leak", async () => {
  const { count, first } = settings();
  const tally = new Tally();
  const failing: string[] = [];
  let unconnected = 0;
  let fireAndForget = 0;
  let accepted = 0;
  let cut = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const seed = (first + i) >>> 0;
    const result = await runSeed(seed, tally);
    if (!result.connected) unconnected++;
    fireAndForget += result.fireAndForget;
    accepted += result.accepted;
    if (result.cut) cut++;
    if (result.failures.length > 0) {
      failing.push(
        `seed ${seed} (replay: SLEEVE_HOSTILE_SEEDS=1:${seed}), ${result.failures.length} failures:\n    ` +
          firstOfEachKind(result.failures).join("\n    ") +
          `\n    ${result.info}`,
      );
    }
  }
  const seconds = ((performance.now() - started) / 1_000).toFixed(1);
  // deno-lint-ignore no-console
  console.log(
    `hostile server: ${count} seeds from ${first} in ${seconds} s (${unconnected} never connected, ${cut} slow servers cut, ${accepted} connections); ` +
      `${tally.summary()}; fire-and-forget ${fireAndForget}; failing seeds ${failing.length}`,
  );
  assert.ok(failing.length === 0, `failing seeds:\n  ${failing.join("\n  ")}`);
});
