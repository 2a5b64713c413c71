// The executors behind views: each turns a method's command, arguments and
// decoder into a request for the client's router, bound to the view's
// database, bulk type and limits. A promise executor returns the decoded
// reply; a void one returns nothing and reports failures as events; a
// prefix one rewrites keys and hands the command to one of those; a call-site
// one (captureCallSites) gives a ReplyError the stack of the caller's line.

import type {
  Bulk,
  Decode,
  Executor,
  Int,
  Result,
  Root,
} from "./commands/_executor.ts";
import type { Command } from "./commands/_command.ts";
import type { RedisKey } from "./commands/_base.ts";
import type { Limits, Request, RequestSink } from "./connection/connection.ts";
import { ReplyError } from "./errors.ts";
import { RedisErrorEvent } from "./events.ts";
import type { KeyPrefix } from "./prefix.ts";
import type { RedisArg } from "./resp/encoder.ts";
import type { RespValue } from "./resp/types.ts";
import {
  RUN_SCRIPT,
  runScript,
  type Script,
  type ScriptRunner,
} from "./script.ts";

/** A request the executor fills for each command (see RequestSink). */
type Scratch = { -readonly [K in keyof Request]: Request[K] };

const NO_ARGS: readonly never[] = [];

function scratch(db: number, binary: boolean, bigint: boolean): Scratch {
  return {
    command: { name: "", head: new Uint8Array(0), tokens: 0 },
    args: NO_ARGS,
    db,
    binary,
    bigint,
    decode: null,
  };
}

/** The executor of promise views. */
export class PromiseExecutor
  implements Executor<"promise">, ScriptRunner<"promise"> {
  readonly #sink: RequestSink;
  readonly #limits: Limits | undefined;
  readonly #request: Scratch;
  readonly #one: RedisArg[] = [""];

  /**
   * Constructs a new instance.
   *
   * @param sink Where requests go.
   * @param db The database of the view.
   * @param binary Whether bulk strings come back as bytes.
   * @param bigint Whether integers come back as bigints.
   * @param limits The view's limits, if any.
   */
  constructor(
    sink: RequestSink,
    db: number,
    binary: boolean,
    bigint: boolean,
    limits: Limits | undefined,
  ) {
    this.#sink = sink;
    this.#limits = limits;
    this.#request = scratch(db, binary, bigint);
  }

  /** Whether bulk strings come back as bytes. */
  get binary(): boolean {
    return this.#request.binary;
  }

  /** Sends the request and resolves with its reply, decoded. */
  call<T>(command: Command, args: RedisArg[], decode: Decode<T>): Promise<T> {
    const request = this.#request;
    request.command = command;
    request.args = args;
    request.decode = decode;
    // The connection settles the promise with what `decode` returned: a T.
    const reply = this.#sink.send(request, this.#limits) as Promise<T>;
    request.args = NO_ARGS;
    return reply;
  }

  /** {@linkcode PromiseExecutor.call} with one argument, in a reused array. */
  call1<T>(command: Command, arg: RedisArg, decode: Decode<T>): Promise<T> {
    const request = this.#request;
    const one = this.#one;
    one[0] = arg;
    request.command = command;
    request.args = one;
    request.decode = decode;
    const reply = this.#sink.send(request, this.#limits) as Promise<T>;
    one[0] = "";
    return reply;
  }

  /** {@linkcode PromiseExecutor.call} with the reply's bulk strings as bytes. */
  callBytes<T>(
    command: Command,
    args: RedisArg[],
    decode: Decode<T>,
  ): Promise<T> {
    const request = this.#request;
    const binary = request.binary;
    request.binary = true;
    try {
      return this.call(command, args, decode);
    } finally {
      request.binary = binary;
    }
  }

  /** A rejected promise. */
  refuse<T>(error: Error): Promise<T> {
    return Promise.reject(error);
  }

  /** Runs a script: EVALSHA, or EVAL on NOSCRIPT (see runScript). */
  [RUN_SCRIPT](
    script: Script<Root, Bulk, Int>,
    keys: readonly RedisKey[],
    args: readonly RedisArg[],
  ): Promise<RespValue> {
    return runScript(
      this.#sink,
      (command, argv, decode) => this.call(command, argv, decode),
      script,
      keys,
      args,
    );
  }
}

/** The executor of fire-and-forget views. */
export class VoidExecutor implements Executor<"void">, ScriptRunner<"void"> {
  readonly #sink: RequestSink;
  readonly #events: EventTarget;
  readonly #limits: Limits | undefined;
  readonly #request: Scratch;
  readonly #one: RedisArg[] = [""];

  /**
   * Constructs a new instance.
   *
   * @param sink Where requests go.
   * @param db The database of the view.
   * @param events Where failures are dispatched (the client's).
   * @param limits The view's limits, if any.
   */
  constructor(
    sink: RequestSink,
    db: number,
    events: EventTarget,
    limits: Limits | undefined,
  ) {
    this.#sink = sink;
    this.#events = events;
    this.#limits = limits;
    this.#request = scratch(db, false, false);
  }

  /** Always false: replies are dropped. */
  get binary(): boolean {
    return false;
  }

  /** Sends the request; its reply is read and dropped. */
  call<T>(command: Command, args: RedisArg[], _decode: Decode<T>): void {
    const request = this.#request;
    request.command = command;
    request.args = args;
    this.#sink.sendVoid(request, this.#limits);
    request.args = NO_ARGS;
  }

  /** {@linkcode VoidExecutor.call} with one argument, in a reused array. */
  call1<T>(command: Command, arg: RedisArg, _decode: Decode<T>): void {
    const request = this.#request;
    const one = this.#one;
    one[0] = arg;
    request.command = command;
    request.args = one;
    this.#sink.sendVoid(request, this.#limits);
    one[0] = "";
  }

  /** {@linkcode VoidExecutor.call}: the reply is dropped, whatever its form. */
  callBytes<T>(command: Command, args: RedisArg[], decode: Decode<T>): void {
    this.call(command, args, decode);
  }

  /** Dispatches the error on the client. */
  refuse(error: Error, command: string): void {
    this.#events.dispatchEvent(new RedisErrorEvent(error, command));
  }

  /**
   * Runs a script as the promise executor does (the fallback needs
   * EVALSHA's reply, so a run waits for it internally, and the limits cover
   * the replies too); a failure is an error event.
   */
  [RUN_SCRIPT](
    script: Script<Root, Bulk, Int>,
    keys: readonly RedisKey[],
    args: readonly RedisArg[],
  ): void {
    const sink = this.#sink;
    const limits = this.#limits;
    const db = this.#request.db;
    let last = "EVAL";
    const send = <T>(command: Command, argv: RedisArg[], decode: Decode<T>) => {
      last = command.name;
      // Bytes, since nothing reads the reply: no UTF-8 decoding.
      const request = {
        command,
        args: argv,
        db,
        binary: true,
        bigint: false,
        decode,
      };
      return sink.send(request, limits) as Promise<T>;
    };
    runScript(sink, send, script, keys, args).catch((error: Error) =>
      this.#events.dispatchEvent(new RedisErrorEvent(error, last))
    );
  }
}

/**
 * The executor of prefix() views: puts the prefix in front of the keys of
 * each command and strips it from the keys of its reply, then hands the
 * command to the executor of the same view without a prefix. It allocates
 * (new arguments per command); views without a prefix never use it.
 */
export class PrefixExecutor<M extends Root>
  implements Executor<M>, ScriptRunner<M> {
  readonly #inner: Executor<M> & ScriptRunner<M>;
  readonly #prefix: KeyPrefix;

  /**
   * Constructs a new instance.
   *
   * @param inner The executor of the same view without a prefix.
   * @param prefix The prefix.
   */
  constructor(inner: Executor<M> & ScriptRunner<M>, prefix: KeyPrefix) {
    this.#inner = inner;
    this.#prefix = prefix;
  }

  /** Whether bulk strings come back as bytes. */
  get binary(): boolean {
    return this.#inner.binary;
  }

  /** Sends the command with its keys prefixed; refuses what cannot be. */
  call<T>(command: Command, args: RedisArg[], decode: Decode<T>): Result<M, T> {
    const prefix = this.#prefix;
    const prefixed = prefix.args(command, args);
    if (prefixed instanceof TypeError) {
      return this.#inner.refuse(prefixed, command.name);
    }
    return this.#inner.call(command, prefixed, prefix.decoder(command, decode));
  }

  /** {@linkcode PrefixExecutor.call} with one argument. */
  call1<T>(command: Command, arg: RedisArg, decode: Decode<T>): Result<M, T> {
    return this.call(command, [arg], decode);
  }

  /** {@linkcode PrefixExecutor.call} with the reply's bulk strings as bytes. */
  callBytes<T>(
    command: Command,
    args: RedisArg[],
    decode: Decode<T>,
  ): Result<M, T> {
    const prefix = this.#prefix;
    const prefixed = prefix.args(command, args);
    if (prefixed instanceof TypeError) {
      return this.#inner.refuse(prefixed, command.name);
    }
    return this.#inner.callBytes(
      command,
      prefixed,
      prefix.decoder(command, decode),
    );
  }

  /** Refuses as the inner executor does. */
  refuse<T>(error: Error, command: string): Result<M, T> {
    return this.#inner.refuse(error, command);
  }

  /** Runs a script with its `KEYS` prefixed, as the inner executor runs it. */
  [RUN_SCRIPT](
    script: Script<Root, Bulk, Int>,
    keys: readonly RedisKey[],
    args: readonly RedisArg[],
  ): Result<M, RespValue> {
    const prefix = this.#prefix;
    const prefixed: RedisKey[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      // A key (string or bytes) stays a string or bytes with the prefix.
      prefixed[i] = prefix.key(keys[i]!) as RedisKey;
    }
    return this.#inner[RUN_SCRIPT](script, prefixed, args);
  }
}

/** Where sleeve's own modules live: their frames are left out of call sites. */
const OWN_FRAMES = new URL("./", import.meta.url).href;

/**
 * The executor of promise views under `captureCallSites`: each reply is
 * awaited in an async function of its own, so that a `ReplyError` (whose
 * stack holds only the frames that read the reply) can be given, when it
 * comes, the stack of the code awaiting the command: V8's async stack
 * traces name each awaiting function at its `await`, through
 * `Promise.all` too. Nothing is captured while all goes well: the cost is
 * one async function call per command.
 */
export class CallSiteExecutor
  implements Executor<"promise">, ScriptRunner<"promise"> {
  readonly #inner: Executor<"promise"> & ScriptRunner<"promise">;

  /**
   * Constructs a new instance.
   *
   * @param inner The executor of the same view, without call sites.
   */
  constructor(inner: Executor<"promise"> & ScriptRunner<"promise">) {
    this.#inner = inner;
  }

  /** Whether bulk strings come back as bytes. */
  get binary(): boolean {
    return this.#inner.binary;
  }

  /** Sends the command as the inner executor does, awaiting it here. */
  call<T>(command: Command, args: RedisArg[], decode: Decode<T>): Promise<T> {
    return withCallSite(this.#inner.call(command, args, decode));
  }

  /** {@linkcode CallSiteExecutor.call} with one argument. */
  call1<T>(command: Command, arg: RedisArg, decode: Decode<T>): Promise<T> {
    return withCallSite(this.#inner.call1(command, arg, decode));
  }

  /** {@linkcode CallSiteExecutor.call} with the reply's bulk strings as bytes. */
  callBytes<T>(
    command: Command,
    args: RedisArg[],
    decode: Decode<T>,
  ): Promise<T> {
    return withCallSite(this.#inner.callBytes(command, args, decode));
  }

  /** Refuses as the inner executor does (the error was made here already). */
  refuse<T>(error: Error, command: string): Promise<T> {
    return this.#inner.refuse(error, command);
  }

  /** Runs a script as the inner executor does, awaiting it here. */
  [RUN_SCRIPT](
    script: Script<Root, Bulk, Int>,
    keys: readonly RedisKey[],
    args: readonly RedisArg[],
  ): Promise<RespValue> {
    return withCallSite(this.#inner[RUN_SCRIPT](script, keys, args));
  }
}

/**
 * Settles as `reply`; a `ReplyError` gets the stack of the async functions
 * awaiting this one, sleeve's own left out. A reply consumed otherwise
 * (`.then()`) has no such frames: its error keeps its stack.
 */
async function withCallSite<T>(reply: Promise<T>): Promise<T> {
  try {
    return await reply;
  } catch (error) {
    if (error instanceof ReplyError) {
      const site: { stack?: string } = {};
      Error.captureStackTrace(site);
      const frames = (site.stack ?? "").split("\n").slice(1).filter((line) =>
        !line.includes(OWN_FRAMES)
      );
      if (frames.length > 0) {
        error.stack = `${error.name}: ${error.message}\n${frames.join("\n")}`;
      }
    }
    throw error;
  }
}
