import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { inspect } from "node:util";
import type { CallOptions } from "../../../context/context";
import { callInput, parseJson, ReplInputError, type ParsedArgs } from "../args";
import type { Command, ReplContext } from "./types";

const CALL_FLAGS = { string: ["load", "save"] };
const RESERVED = ["load", "save"];

async function loadParams(ctx: ReplContext, flag: unknown, action: string): Promise<unknown> {
  const file = resolve(ctx.cwd, typeof flag === "string" && flag !== "" ? flag : `${action}.params.json`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new ReplInputError(`Cannot read params from ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseJson(text, `params in ${file}`);
}

/** Shared by `call` and `dcall`: params from JSON, flags or `--load`; result printed or `--save`d. */
async function callAction(ctx: ReplContext, action: string, rest: string[], args: ParsedArgs, nodeID?: string): Promise<void> {
  const input = callInput(rest, args.flags, RESERVED);
  const params = args.flags.load !== undefined ? await loadParams(ctx, args.flags.load, action) : input.params;
  const options: CallOptions = { ...(input.options as CallOptions), meta: input.meta };
  if (nodeID !== undefined) options.nodeID = nodeID;
  const { out } = ctx;
  const where = nodeID === undefined ? "" : ` on '${nodeID}'`;
  out.line(out.style.yellow(`>> Call '${action}'${where} with params: ${inspect(params, { breakLength: Infinity, depth: 4, colors: out.style.enabled })}`));
  const started = process.hrtime.bigint();
  const result = await ctx.broker.call(action, params, options);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (args.flags.save !== undefined) {
    const file = resolve(ctx.cwd, typeof args.flags.save === "string" && args.flags.save !== "" ? args.flags.save : `${action}.response.json`);
    await writeFile(file, JSON.stringify(result, null, 2) + "\n");
    out.line(out.style.green(`>> Response saved to ${file}`));
  } else {
    out.line(out.style.yellow(">> Response:"));
    out.line(inspect(result, { depth: null, colors: out.style.enabled }));
  }
  out.line(out.style.dim(`>> Execution time: ${ms.toFixed(2)} ms`));
}

async function knownNode(ctx: ReplContext, nodeID: string): Promise<void> {
  const nodes = await ctx.broker.call<Array<{ id: string }>>("$node.list");
  if (!nodes.some((n) => n.id === nodeID)) {
    throw new ReplInputError(`Node '${nodeID}' is not in the cluster (known: ${nodes.map((n) => n.id).join(", ")}).`);
  }
}

const call: Command = {
  name: "call",
  usage: "call <action> [params JSON] [meta JSON] [--key value …] [--#metaKey value] [--$timeout ms] [--load [file]] [--save [file]]",
  description: "Call an action; params as JSON or --key value flags; --load reads params from a file, --save writes the response",
  parse: CALL_FLAGS,
  complete: ["action"],
  async run(args, ctx) {
    const [action, ...rest] = args.positional;
    if (!action) throw new ReplInputError("Usage: " + call.usage);
    await callAction(ctx, action, rest, args);
  },
};

const dcall: Command = {
  name: "dcall",
  usage: "dcall <nodeID> <action> [params JSON] [meta JSON] [--key value …] [--load [file]] [--save [file]]",
  description: "Call an action on one given node",
  parse: CALL_FLAGS,
  complete: ["node", "action"],
  async run(args, ctx) {
    const [nodeID, action, ...rest] = args.positional;
    if (!nodeID || !action) throw new ReplInputError("Usage: " + dcall.usage);
    await knownNode(ctx, nodeID);
    await callAction(ctx, action, rest, args, nodeID);
  },
};

export const callCommands: Command[] = [call, dcall];
