/* eslint-disable no-console -- a benchmark prints its results */
import "reflect-metadata";
import { IsNumber } from "class-validator";
import { ServiceBroker as MoleculerBroker, Middleware as MoleculerMiddleware } from "moleculer";
import { Action, Event, Middleware, Service, ServiceBroker, ValidationError } from "../lib";
import { assertEqual, runCase } from "./harness";

/** Local (single-process) cases: nucleon against Moleculer 0.14 on the same work. */

class AddParams {
  @IsNumber() a!: number;
  @IsNumber() b!: number;
}

let eventsSeen = 0;

@Service({ name: "math" })
class MathService {
  @Action({ params: false })
  add(p: { a: number; b: number }): number {
    return p.a + p.b;
  }

  @Action()
  addChecked(p: AddParams): number {
    return p.a + p.b;
  }

  @Event("bench.event")
  onEvent(): void {
    eventsSeen++;
  }
}

/** A pass-through middleware on both sides: the targets are "with a middleware". */
const passThrough: Middleware = { name: "PassThrough", localAction: (next) => (ctx) => next(ctx) };
const molPassThrough: MoleculerMiddleware = {
  name: "PassThrough",
  localAction: (next: (ctx: unknown) => Promise<unknown>) => (ctx: unknown) => next(ctx),
} as unknown as MoleculerMiddleware;

async function main(): Promise<void> {
  const ours = new ServiceBroker({ nodeID: "bench", logger: false, middlewares: [passThrough] });
  ours.register(MathService);
  await ours.start();

  const theirs = new MoleculerBroker({ nodeID: "bench", logger: false, middlewares: [molPassThrough] });
  theirs.createService({
    name: "math",
    actions: {
      add: (ctx) => (ctx.params as { a: number; b: number }).a + (ctx.params as { a: number; b: number }).b,
      addChecked: {
        params: { a: "number", b: "number" },
        handler: (ctx) => (ctx.params as { a: number; b: number }).a + (ctx.params as { a: number; b: number }).b,
      },
    },
    events: {
      "bench.event": () => {
        eventsSeen++;
      },
    },
  });
  await theirs.start();

  const params = { a: 1, b: 2 };
  console.log(`nucleon vs moleculer ${MoleculerBroker.MOLECULER_VERSION}, node ${process.version}`);

  const check = (call: () => Promise<unknown>) => async () => assertEqual(await call(), 3, "sum");
  const oursCall = () => ours.call("math.add", params);
  const theirsCall = () => theirs.call("math.add", params);
  const call = { ours: { name: "nucleon", op: oursCall, check: check(oursCall) }, theirs: { name: "moleculer", op: theirsCall, check: check(theirsCall) } };
  await runCase("local call, 1 in flight", 1, call.ours, call.theirs);
  await runCase("local call, 100 in flight", 100, call.ours, call.theirs);

  const oursChecked = () => ours.call("math.addChecked", params);
  const theirsChecked = () => theirs.call("math.addChecked", params);
  const invalid = async (call: () => Promise<unknown>, isValidationError: (e: unknown) => boolean) => {
    const err = await call().catch((e: unknown) => e);
    if (!isValidationError(err)) throw new Error("invalid params were not rejected");
  };
  await runCase(
    "local call + 2-field validation, 1 in flight",
    1,
    {
      name: "nucleon",
      op: oursChecked,
      check: async () => {
        await check(oursChecked)();
        await invalid(() => ours.call("math.addChecked", { a: "x", b: 2 }), (e) => e instanceof ValidationError);
      },
    },
    {
      name: "moleculer",
      op: theirsChecked,
      check: async () => {
        await check(theirsChecked)();
        await invalid(() => theirs.call("math.addChecked", { a: "x", b: 2 }), (e) => (e as Error).name === "ValidationError");
      },
    },
  );

  const emitCheck = (emit: () => Promise<unknown>) => async () => {
    const before = eventsSeen;
    await emit();
    assertEqual(eventsSeen - before, 1, "handler runs");
  };
  const oursEmit = () => ours.emit("bench.event", params);
  const theirsEmit = () => theirs.emit("bench.event", params) as Promise<unknown>;
  await runCase(
    "local emit to 1 handler, 1 in flight",
    1,
    { name: "nucleon", op: oursEmit, check: emitCheck(oursEmit) },
    { name: "moleculer", op: theirsEmit, check: emitCheck(theirsEmit) },
  );

  await ours.stop();
  await theirs.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
