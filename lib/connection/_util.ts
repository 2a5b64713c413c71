// Small helpers the connection files share: internal command heads, error
// text, and counted nouns.

import { ReplyError } from "../errors.ts";
import type { RequestCommand } from "./connection.ts";

const utf8 = new TextEncoder();

/**
 * The {@linkcode RequestCommand} of a command the connection issues itself
 * (handshake, health checks, SELECT): `tokens` are its name words.
 */
export function internalCommand(...tokens: string[]): RequestCommand {
  let head = "";
  for (const token of tokens) {
    head += `$${utf8.encode(token).length}\r\n${token}\r\n`;
  }
  return {
    name: tokens.join(" "),
    head: utf8.encode(head),
    tokens: tokens.length,
  };
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Anything thrown, as an Error. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new TypeError(messageOf(error));
}

/** `1 command`, `2 commands`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Reply decoder of internal commands that must answer `+OK`. */
export function expectOk(value: unknown): "OK" {
  if (value !== "OK") throw new TypeError("expected OK");
  return value;
}

/**
 * A server error reply, named after `command`, without the secret it may
 * quote: ACL SETUSER's errors quote the rule they refuse, which may hold a
 * password (`>secret`, `<secret`), so the quote is cut out. Any other
 * command's error is returned as it is, with `command` set.
 */
export function namedReplyError(
  command: string,
  error: ReplyError,
): ReplyError {
  if (command === "ACL SETUSER") {
    const message = error.message;
    const open = message.indexOf("'");
    if (open >= 0) {
      // The explanation follows the quote's end: after the last "': ".
      const close = message.lastIndexOf("': ");
      error = new ReplyError(
        `${message.slice(0, open)}'…'${
          close > open ? message.slice(close + 1) : ""
        }`,
        command,
        { code: error.code },
      );
    }
  }
  error.command = command;
  return error;
}
