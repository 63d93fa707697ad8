import type { Constructor } from "../decorators/types";
import { BrokerOptionsError } from "../errors";
import { describe } from "../service/describe";
import type { CallOptions } from "./call-options";
import type { Context } from "./context";

/**
 * Types for `broker.call(ServiceClass, "method", params)`: the params and the
 * result come from the method's own signature.
 */
type HandlerLike = (params: never, ctx: Context<never>) => unknown;

/** Method names of S that look like action handlers. */
export type ActionMethods<S> = {
  [K in keyof S]-?: S[K] extends HandlerLike ? (K extends string ? K : never) : never;
}[keyof S];

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
  if (name === undefined) throw new BrokerOptionsError(`'${method}' is not an action of '${describe(target).fullName}'.`);
  return name;
}
