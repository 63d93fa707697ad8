import { toError } from "../errors";

type Callable = (...args: unknown[]) => unknown;

/** The part of a context the wrapper reads: `@Before` hooks may replace `params`. */
interface HookContext {
  params: unknown;
}

/** Hook functions of one action, in run order (resolved from `ActionHooks` once). */
export interface CompiledHooks {
  before: readonly Callable[];
  after: readonly Callable[];
  error: readonly Callable[];
}

/**
 * Wraps an action's method with its hooks, once, when the service's
 * endpoints are built; the result has the method's `(params, ctx)` shape, so
 * the chain builder treats it as the handler and every middleware (validator
 * included) stays outside it, as Moleculer's ActionHook middleware is the
 * innermost one. The handler gets `ctx.params` as the `@Before` hooks left it.
 * An error (from the handler or any hook) goes through the error hooks in
 * turn as an `Error` (`toError`): the first that returns recovers with its value.
 */
export function withActionHooks(handler: Callable, hooks: CompiledHooks, instance: object): Callable {
  const { before, after, error } = hooks;
  const run = async (ctx: HookContext): Promise<unknown> => {
    for (const hook of before) await hook.call(instance, ctx);
    let result = await handler.call(instance, ctx.params, ctx);
    for (const hook of after) result = await hook.call(instance, ctx, result);
    return result;
  };
  if (error.length === 0) return (_params, ctx) => run(ctx as HookContext);
  return async (_params, ctx) => {
    try {
      return await run(ctx as HookContext);
    } catch (thrown) {
      let err = toError(thrown);
      for (const hook of error) {
        try {
          return await hook.call(instance, ctx, err);
        } catch (next) {
          err = toError(next);
        }
      }
      throw err;
    }
  };
}
