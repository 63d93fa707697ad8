import type { Constructor } from "../decorators/types";
import { BrokerOptionsError } from "../errors";
import { describe } from "../service/describe";
import type { LifecycleMethod } from "../service/lifecycle";
import type { CallOptions } from "./call-options";
import type { Context } from "./context";

/**
 * Types for `broker.call(ServiceClass, "method", params)`: the params and the
 * result come from the method's own signature.
 */
type HandlerLike = (params: never, ctx: Context<never>) => unknown;

/**
 * Method names of S that look like action handlers: methods other than the
 * lifecycle hooks. Types cannot see decorators, so an `@Event` handler (same
 * shape as an action) is only refused at run time, by `actionNameOf`.
 */
export type ActionMethods<S> = Exclude<
  {
    [K in keyof S]-?: S[K] extends HandlerLike ? (K extends string ? K : never) : never;
  }[keyof S],
  LifecycleMethod
>;

/** Resolved result of a handler. */
export type ActionResult<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/** `[params, options?]`, with params optional when the handler takes none. */
export type ActionArgs<F> = F extends (...args: infer A) => unknown
  ? A extends []
    ? [params?: undefined, options?: CallOptions]
    : undefined extends A[0]
      ? [params?: A[0], options?: CallOptions]
      : [params: A[0], options?: CallOptions]
  : never;

const actionNames = new WeakMap<Constructor, Map<string, string>>();

/** `MathService`, `"add"` → `v2.math.add` (the action's own name may differ from the method). */
export function actionNameOf(target: Constructor, method: string): string {
  let names = actionNames.get(target);
  if (!names) {
    names = new Map(describe(target).actions.map((a) => [a.method, a.name]));
    actionNames.set(target, names);
  }
  const name = names.get(method);
  if (name === undefined) throw notAnAction(target, method);
  return name;
}

function notAnAction(target: Constructor, method: string): BrokerOptionsError {
  const { fullName, events } = describe(target);
  const event = events.find((e) => e.method === method);
  if (event) {
    return new BrokerOptionsError(
      `'${method}' of '${fullName}' is an event handler (@Event("${event.name}")), not an action: ` +
        `emit the event (broker.emit("${event.name}", payload)) or decorate the method with @Action().`,
      { service: fullName, method, event: event.name },
    );
  }
  return new BrokerOptionsError(`'${method}' is not an action of '${fullName}'.`, { service: fullName, method });
}
