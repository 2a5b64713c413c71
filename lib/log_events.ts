// logEvents(): one line to log a client's lifecycle (connect, ready,
// disconnect, reconnecting, close, error) to a console-like logger; for
// single-server, Sentinel and cluster clients alike.

import type {
  RedisCloseEvent,
  RedisDisconnectEvent,
  RedisErrorEvent,
  RedisReconnectingEvent,
} from "./events.ts";

/**
 * What {@linkcode logEvents} writes to: `console` fits, as do most loggers.
 *
 * @example Usage
 * ```ts
 * import { connect, type EventLogger, logEvents } from "@sleeve/redis";
 *
 * const lines: string[] = [];
 * const logger: EventLogger = {
 *   info: (line) => lines.push(`INFO ${line}`),
 *   warn: (line) => lines.push(`WARN ${line}`),
 *   error: (line) => lines.push(`ERROR ${line}`),
 * };
 * await using redis = await connect();
 * logEvents(redis, logger, "sessions");
 * ```
 */
export interface EventLogger {
  /** connect, ready, reconnecting, a clean close. */
  info(...data: unknown[]): void;
  /** disconnect. */
  warn(...data: unknown[]): void;
  /** error, a close after a failure. */
  error(...data: unknown[]): void;
}

/**
 * Logs a client's lifecycle events, one line each: `connect` and `ready`
 * (info), `disconnect` (warn), `reconnecting` (info, with the attempt and
 * its delay), `close` (info, or error when it failed) and `error` (error,
 * naming the command of a fire-and-forget failure). Messages carry no
 * secret (see the events). Works on any client: `connect()`'s (Sentinel
 * included) and `connectCluster()`'s.
 *
 * @param client The client, or any target of its events.
 * @param logger Where to write: `console`, or a logger with `info`, `warn` and `error`.
 * @param label What each line starts with.
 * @returns The function that stops logging.
 *
 * @example Usage
 * ```ts
 * import { connect, logEvents } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * logEvents(redis, console);
 * ```
 */
export function logEvents(
  client: EventTarget,
  logger: EventLogger,
  label = "redis",
): () => void {
  const handlers: [string, (event: Event) => void][] = [
    ["connect", () => logger.info(`${label}: connect`)],
    ["ready", () => logger.info(`${label}: ready`)],
    [
      "disconnect",
      (event) =>
        logger.warn(
          `${label}: disconnect: ${
            (event as RedisDisconnectEvent).error.message
          }`,
        ),
    ],
    [
      "reconnecting",
      (event) => {
        const { attempt, delay } = event as RedisReconnectingEvent;
        logger.info(
          `${label}: reconnecting (attempt ${attempt} in ${delay} ms)`,
        );
      },
    ],
    [
      "close",
      (event) => {
        const error = (event as RedisCloseEvent).error;
        if (error === undefined) logger.info(`${label}: close`);
        else logger.error(`${label}: close: ${error.message}`);
      },
    ],
    [
      "error",
      (event) => {
        const { error, command } = event as RedisErrorEvent;
        logger.error(
          command === undefined
            ? `${label}: error: ${error.message}`
            : `${label}: error in ${command}: ${error.message}`,
        );
      },
    ],
  ];
  for (const [type, handler] of handlers) {
    client.addEventListener(type, handler);
  }
  return () => {
    for (const [type, handler] of handlers) {
      client.removeEventListener(type, handler);
    }
  };
}
