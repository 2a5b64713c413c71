// The executors behind views: each turns a method's command, arguments and
// decoder into a request for the client's router, bound to the view's
// database, bulk type and limits. A promise executor returns the decoded
// reply; a void one returns nothing and reports failures as events.

import type { Decode, Executor } from "./commands/_executor.ts";
import type { Command } from "./commands/_command.ts";
import type { Limits, RequestSink } from "./connection/connection.ts";
import { RedisErrorEvent } from "./events.ts";
import type { RedisArg } from "./resp/encoder.ts";

/** The executor of promise views. */
export class PromiseExecutor implements Executor<"promise"> {
  readonly #sink: RequestSink;
  readonly #db: number;
  readonly #binary: boolean;
  readonly #limits: Limits | undefined;

  /**
   * Constructs a new instance.
   *
   * @param sink Where requests go.
   * @param db The database of the view.
   * @param binary Whether bulk strings come back as bytes.
   * @param limits The view's limits, if any.
   */
  constructor(
    sink: RequestSink,
    db: number,
    binary: boolean,
    limits: Limits | undefined,
  ) {
    this.#sink = sink;
    this.#db = db;
    this.#binary = binary;
    this.#limits = limits;
  }

  /** Sends the request and resolves with its reply, decoded. */
  call<T>(command: Command, args: RedisArg[], decode: Decode<T>): Promise<T> {
    // The connection settles the promise with what `decode` returned: a T.
    return this.#sink.send(
      { command, args, db: this.#db, binary: this.#binary, decode },
      this.#limits,
    ) as Promise<T>;
  }

  /** A rejected promise. */
  refuse<T>(error: Error): Promise<T> {
    return Promise.reject(error);
  }
}

/** The executor of fire-and-forget views. */
export class VoidExecutor implements Executor<"void"> {
  readonly #sink: RequestSink;
  readonly #db: number;
  readonly #root: () => EventTarget;
  readonly #limits: Limits | undefined;

  /**
   * Constructs a new instance.
   *
   * @param sink Where requests go.
   * @param db The database of the view.
   * @param root The client, on which failures are dispatched.
   * @param limits The view's limits, if any.
   */
  constructor(
    sink: RequestSink,
    db: number,
    root: () => EventTarget,
    limits: Limits | undefined,
  ) {
    this.#sink = sink;
    this.#db = db;
    this.#root = root;
    this.#limits = limits;
  }

  /** Sends the request; its reply is read and dropped. */
  call<T>(command: Command, args: RedisArg[], decode: Decode<T>): void {
    this.#sink.sendVoid(
      { command, args, db: this.#db, binary: false, decode },
      this.#limits,
    );
  }

  /** Dispatches the error on the client. */
  refuse(error: Error, command: string): void {
    this.#root().dispatchEvent(new RedisErrorEvent(error, command));
  }
}
