// One connection attempt: open the transport, make a Socket of it, run the
// handshake (waiting out a server that is loading its dataset), all within
// connectTimeout of silence; a configuration with a Locator (Sentinel) finds
// the server anew for each attempt and has it checked. And the backoff
// between attempts. Owns no lifecycle: its owner says whether the attempt is
// still wanted.

import {
  ConnectionError,
  ProtocolError,
  ReplyError,
  TimeoutError,
} from "../errors.ts";
import type {
  ConnectionConfig,
  Located,
  Locator,
  ReconnectPolicy,
} from "./config.ts";
import { handshake } from "./handshake.ts";
import { Socket, type SocketHost } from "./socket.ts";
import { connectFailure, openTransport } from "./transport.ts";
import { asError, internalCommand, plural } from "./_util.ts";

const ROLE = internalCommand("ROLE");

/** What an attempt needs of its owner. */
export interface AttemptHooks {
  /** Aborted by the owner (close()) or by the attempt's own timeout. */
  readonly signal: AbortSignal;
  /** The socket is open: the owner makes it current (its failures now reach the owner). */
  opened(socket: Socket): void;
  /** Whether `socket` is still the owner's current one, in its handshake. */
  current(socket: Socket): boolean;
  /** Why the owner gave the attempt up (its failure, or its close). */
  failure(): Error;
}

/** A socket past its handshake, and what the server said. */
export interface Connected {
  /** The socket, ready for commands. */
  socket: Socket;
  /** The protocol in use. */
  protocol: 2 | 3;
  /** The server version from HELLO, when known. */
  serverVersion: string | undefined;
  /** CONFIG GET databases, when allowed. */
  databases: number | undefined;
}

/**
 * Opens a socket and runs the handshake. Throws when it fails, the socket
 * then given up through `host.failed`; a `TimeoutError` when a silence
 * outlasted connectTimeout.
 */
export function connectSocket(
  config: ConnectionConfig,
  host: SocketHost,
  hooks: AttemptHooks,
): Promise<Connected> {
  const locator = config.locator;
  if (locator === undefined) {
    return connectTo(config, config, host, hooks, undefined);
  }
  // Found anew for every attempt (Sentinel), and checked once connected.
  return locator.attempt(
    hooks.signal,
    (located) => connectTo(config, located, host, hooks, locator),
  );
}

async function connectTo(
  config: ConnectionConfig,
  located: Located,
  host: SocketHost,
  hooks: AttemptHooks,
  locator: Locator | undefined,
): Promise<Connected> {
  const address = located.address;
  // A locator that answered after its owner gave the attempt up (close()):
  // no socket is opened for nobody.
  hooks.signal.throwIfAborted();
  const ms = config.connectTimeout;
  const timeout = new TimeoutError(
    `Cannot connect to ${address}: no answer within connectTimeout ${ms} ms`,
  );
  // The owner's signal (close()) or this attempt's timeout.
  const controller = new AbortController();
  const expire = () => controller.abort(timeout);
  const onOwnerAbort = () => controller.abort(hooks.signal.reason);
  hooks.signal.addEventListener("abort", onOwnerAbort, { once: true });
  let timer = setTimeout(expire, ms);
  let socket: Socket | undefined;
  const onAbort = () => {
    if (socket !== undefined && hooks.current(socket)) {
      host.failed(socket, asError(controller.signal.reason));
    }
  };
  controller.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const conn = await openTransport(
      located.transport,
      address,
      controller.signal,
    );
    socket = new Socket(
      conn,
      host,
      address,
      config,
      config.subscriber !== undefined,
    );
    hooks.opened(socket);
    // A listener may have closed the client.
    if (!hooks.current(socket)) throw hooks.failure();
    const opened = socket;
    // A server loading its dataset has answered: connectTimeout bounds
    // each silence, not the loading, so the timer starts over.
    const wait = (delay: number) =>
      new Promise<void>((resolve, reject) => {
        // The pause is ours, not the server's silence: the timer restarts
        // when the next PING goes out.
        clearTimeout(timer);
        const pause = setTimeout(() => {
          controller.signal.removeEventListener("abort", wake);
          timer = setTimeout(expire, ms);
          if (hooks.current(opened)) resolve();
          else reject(hooks.failure());
        }, delay);
        const wake = () => {
          clearTimeout(pause);
          reject(controller.signal.reason);
        };
        controller.signal.addEventListener("abort", wake, { once: true });
      });
    const result = await handshake(
      (command, args, decode) => opened.writeNow(command, args, decode),
      wait,
      config,
    );
    if (!hooks.current(opened)) throw hooks.failure();
    if (locator !== undefined) {
      await locator.verify(() => opened.writeNow(ROLE, [], null), located);
      if (!hooks.current(opened)) throw hooks.failure();
      opened.readonlyReply = () => locator.readonly(located);
      const release = locator.adopt(located, (error) => {
        if (!opened.dead) host.failed(opened, error);
      });
      void opened.loop.then(release, release);
    }
    // An argument the server would refuse makes it drop the connection
    // under every caller: refuse it here instead.
    if (result.maxBulkLength !== undefined) {
      opened.limitBulkLength(result.maxBulkLength);
    }
    opened.startIn(config.db);
    if (config.subscriber === "binary") opened.decodeBinary();
    return {
      socket: opened,
      protocol: result.protocol,
      serverVersion: result.serverVersion,
      databases: result.databases,
    };
  } catch (error) {
    if (socket !== undefined && hooks.current(socket)) {
      host.failed(socket, asError(error));
    }
    if (controller.signal.aborted) throw controller.signal.reason;
    // The socket failed on its own (the owner's close aborts the attempt):
    // its prelude's commands are internal, so the caller learns why it could
    // not connect, never that a command may have run. A server that answered
    // before it closed (`-ERR max number of clients reached`) is heard: its
    // reply says more than the close.
    const failure = socket?.failure;
    if (
      !(error instanceof ReplyError) &&
      (failure instanceof ConnectionError || failure instanceof ProtocolError)
    ) {
      throw connectFailure(address, located.transport, failure, socket!.reads);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    controller.signal.removeEventListener("abort", onAbort);
    hooks.signal.removeEventListener("abort", onOwnerAbort);
  }
}

/** What the reconnection loop needs of its owner. */
export interface ReconnectHooks {
  /** Whether the owner still wants a connection (not closed meanwhile). */
  connecting(): boolean;
  /** One attempt; throws when it fails. */
  attempt(): Promise<void>;
  /** Attempt `attempt` starts after `delay` ms. */
  reconnecting(attempt: number, delay: number): void;
  /** An attempt failed with `error` (not counting one ended by a close). */
  failed(error: Error): void;
  /** Out of attempts: the owner closes for good with `error`. */
  giveUp(error: ConnectionError): void;
  /** Waits `delay` ms, or less if the owner closes meanwhile. */
  sleep(delay: number): Promise<void>;
}

/** Retries with backoff until connected, closed, or out of attempts. */
export async function reconnect(
  cause: Error,
  config: ConnectionConfig,
  hooks: ReconnectHooks,
): Promise<void> {
  const policy = config.reconnect!;
  let last = cause;
  for (let attempt = 1; hooks.connecting(); attempt++) {
    if (attempt > policy.maxAttempts) {
      hooks.giveUp(
        new ConnectionError(
          `Gave up reconnecting to ${config.address} after ${
            plural(policy.maxAttempts, "attempt")
          }: ${last.message}`,
          { cause: last },
        ),
      );
      return;
    }
    const delay = reconnectDelay(attempt, policy);
    hooks.reconnecting(attempt, delay);
    // A listener may have closed the client.
    if (!hooks.connecting()) return;
    if (delay > 0) {
      await hooks.sleep(delay);
      if (!hooks.connecting()) return;
    }
    try {
      await hooks.attempt();
      return;
    } catch (error) {
      last = asError(error);
      // After close() the attempt fails with "closed": not a failure.
      if (!hooks.connecting()) return;
      hooks.failed(last);
    }
  }
}

/**
 * Milliseconds before reconnection attempt `attempt` (from 1): none for the
 * first, then "equal jitter" (half the exponential step, plus a random half).
 */
export function reconnectDelay(
  attempt: number,
  policy: ReconnectPolicy,
): number {
  if (attempt === 1) return 0;
  const retry = attempt - 1;
  const step = Math.min(
    policy.maxDelay,
    policy.minDelay * 2 ** Math.min(retry - 1, 30),
  );
  return Math.round(step / 2 + Math.random() * (step / 2));
}
