// keyIndexes() against the server's own COMMAND GETKEYS: seeded invocations
// of every key-bearing command, generated from its COMMAND DOCS grammar.

import assert from "node:assert/strict";
import { connect, ReplyError } from "../../mod.ts";
import {
  command,
  KEY_NOT_KEY,
  keyIndexes,
  MOVABLE_KEYS,
} from "../../lib/commands/_command.ts";
import type { RedisArg } from "../../lib/resp/encoder.ts";
import type { RespValue } from "../../lib/resp/types.ts";
import {
  argHex,
  docArgs,
  InvocationGenerator,
} from "../_support/invocations.ts";
import { isNotKey, serverCommands } from "../_support/command_info.ts";
import { uniform } from "../resp/_vectors.ts";
import { redisForTest } from "../_support/redis_server.ts";

const INVOCATIONS_PER_COMMAND = 300;
/** Commands whose key positions depend on their arguments get more. */
const INVOCATIONS_PER_MOVABLE_COMMAND = 3000;
/** A command counts as covered with this many invocations the server accepted. */
const COVERED_AT = 100;
const DEFAULT_SEED = 20240701;

interface Target {
  /** "object|encoding" */
  name: string;
  grammar: RespValue | undefined;
}

/** Key-bearing commands (a key spec not flagged not_key), with their DOCS grammar. */
function targets(info: RespValue, docs: RespValue): Target[] {
  assert.ok(docs instanceof Map);
  return serverCommands(info)
    .filter((cmd) => cmd.keySpecs.some((spec) => !isNotKey(spec)))
    .map((cmd) => {
      const bar = cmd.name.indexOf("|");
      let doc = docs.get(bar < 0 ? cmd.name : cmd.name.slice(0, bar));
      if (bar >= 0 && doc instanceof Map) {
        const subcommands = doc.get("subcommands");
        doc = subcommands instanceof Map
          ? subcommands.get(cmd.name)
          : undefined;
      }
      return {
        name: cmd.name,
        grammar: doc instanceof Map ? doc.get("arguments") : undefined,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function printable(args: readonly RedisArg[]): string {
  return args.map((arg) =>
    typeof arg === "string"
      ? JSON.stringify(arg)
      : arg instanceof Uint8Array
      ? `0x${argHex(arg)}`
      : String(arg)
  ).join(" ");
}

Deno.test("keyIndexes() finds the keys COMMAND GETKEYS finds, for every key-bearing command", async () => {
  await using server = await redisForTest();
  await using redis = await connect({
    hostname: server.hostname,
    port: server.port,
    protocol: 3,
  });
  const [info, docs] = await Promise.all([
    redis.send("COMMAND", "INFO"),
    redis.send("COMMAND", "DOCS"),
  ]);
  const seed = Number(Deno.env.get("SLEEVE_SPECS_SEED") ?? DEFAULT_SEED);
  const random = uniform(seed);
  const all = targets(info, docs);
  let invocations = 0;
  let rejected = 0;
  let arityRejected = 0;
  let notDistinct = 0;
  const mismatches: string[] = [];
  const uncovered: string[] = [];
  for (const target of all) {
    const cmd = command(target.name);
    assert.ok(
      cmd.keySpecs.some((spec) => (spec.flags & KEY_NOT_KEY) === 0),
      target.name,
    );
    const nameTokens = cmd.name.split(" ");
    const generator = new InvocationGenerator(random, docArgs(target.grammar));
    const batch: RedisArg[][] = [];
    const count = (cmd.flags & MOVABLE_KEYS) !== 0
      ? INVOCATIONS_PER_MOVABLE_COMMAND
      : INVOCATIONS_PER_COMMAND;
    for (let i = 0; i < count; i++) {
      const args = generator.next();
      if (args === undefined) notDistinct++;
      else batch.push(args);
    }
    // All issued before any is awaited: the client pipelines them.
    const replies = await Promise.allSettled(
      batch.map((args) =>
        redis.binary.send("COMMAND", "GETKEYS", ...nameTokens, ...args)
      ),
    );
    let accepted = 0;
    for (let i = 0; i < batch.length; i++) {
      const args = batch[i]!;
      const reply = replies[i]!;
      const ours = keyIndexes(cmd, args).map((index) => argHex(args[index]!));
      let theirs: string[];
      invocations++;
      if (reply.status === "rejected") {
        const error = reply.reason;
        if (!(error instanceof ReplyError)) throw error;
        if (error.message.includes("Invalid arguments")) rejected++;
        else if (error.message.includes("Invalid number of arguments")) {
          arityRejected++;
        } else throw error;
        // The server found no keys in it: neither may we.
        theirs = [];
      } else {
        const value = reply.value;
        assert.ok(Array.isArray(value), `${target.name}: ${String(value)}`);
        theirs = value.map((key) => {
          assert.ok(key instanceof Uint8Array);
          return argHex(key);
        });
        accepted++;
      }
      if (ours.join(",") !== theirs.join(",")) {
        mismatches.push(
          `${cmd.name} ${printable(args)}: keyIndexes ${
            JSON.stringify(keyIndexes(cmd, args))
          }, GETKEYS ${
            reply.status === "rejected" ? "rejected" : JSON.stringify(theirs)
          }`,
        );
      }
    }
    if (accepted < COVERED_AT) {
      uncovered.push(`${cmd.name} (${accepted} accepted)`);
    }
  }
  const covered = all.length - uncovered.length;
  // deno-lint-ignore no-console
  console.log(
    `GETKEYS comparison (seed ${seed}): ${covered}/${all.length} key-bearing commands covered, ${invocations} invocations, ${mismatches.length} mismatches, ${rejected} server-rejected (no keys found) + ${arityRejected} arity-rejected, ${notDistinct} skipped (no distinct arguments)`,
  );
  assert.deepStrictEqual(
    mismatches.slice(0, 20),
    [],
    `${mismatches.length} mismatches`,
  );
  assert.ok(
    covered >= all.length * 0.9,
    `too few commands covered: ${uncovered.join(", ")}`,
  );
  assert.ok(
    rejected + arityRejected <= invocations * 0.05,
    "too many invocations were rejected",
  );
});
