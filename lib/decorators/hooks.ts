import type { Context } from "../context/context";
import { ServiceSchemaError } from "../errors";
import { assertLegacyDecorator } from "./decorator-mode";
import { appendMemberMetadata } from "./member-metadata";
import { HOOKS_METADATA } from "./metadata-keys";
import type { ActionHookMetadata, HookKind } from "./types";

/**
 * `Context<never>` is the context of any action: a hook may declare
 * `ctx: Context<CreateParams>` for the actions it targets.
 */
type AnyContext = Context<never, never>;

/** `(ctx) => void`: may change `ctx.params` (validation already ran); throwing stops the call. */
export type BeforeHook = (ctx: AnyContext) => unknown;
/** `(ctx, result) => result`: returns the result the caller gets (changed or not). */
export type AfterHook = (ctx: AnyContext, result: never) => unknown;
/** `(ctx, error) => value`: returning recovers (the caller gets the value); throwing passes an error on. */
export type ErrorHook = (ctx: AnyContext, error: Error) => unknown;

/** Action names a hook applies to: a name, `"*"` (every action of the service), a wildcard or `"a|b"`, or a list. */
export type HookTarget = string | readonly string[];

/** An `@After` hook that returns nothing would replace every result with `undefined`: reject it at compile time. */
type MustReturn<T extends AfterHook> = Awaited<ReturnType<T>> extends void
  ? { "an @After hook must return the result (the one it received, or a changed one)": never }
  : unknown;

type HookDecorator<H> = <T extends H>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>) => void;
type AfterDecorator = <T extends AfterHook>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<T> & MustReturn<T>,
) => void;

/**
 * Runs the method before the named actions' handlers, as Moleculer's
 * `hooks.before`: `(ctx) => void | Promise<void>`, `this` = the service.
 *
 * Order (compiled once per action when the service is registered):
 * 1. `"*"` hooks, then the hooks naming the action (or a pattern matching it);
 * 2. within each group, mixins' hooks (in `mixins` order) before the class's
 *    own; within one class, in declaration order.
 * An `@After`/`@OnError` chain runs the other way round (see `@After`), so the
 * source that wins (the class, then the later mixin: nucleon's precedence for
 * actions and lifecycle hooks) sits closest to the handler. Moleculer follows
 * the same rule with its own precedence (the first mixin wins), so with several
 * mixins hooking one action their order is the reverse of Moleculer's.
 * A method listed twice for one action (`["*", "create"]`) runs once.
 * Hooks run innermost in the chain: inside validation, caching, bulkhead,
 * timeout and retries (each retry runs them again), right around the handler,
 * and on the node that serves the call.
 */
export function Before(actions: HookTarget): HookDecorator<BeforeHook> {
  return hookDecorator("Before", "before", actions);
}

/**
 * Runs the method after the named actions' handlers succeed, as Moleculer's
 * `hooks.after`: `(ctx, result) => result`; what it returns is what the next
 * hook and then the caller receive. `this` = the service.
 *
 * Order: the reverse of `@Before`, as in Moleculer: hooks naming the action
 * first, then `"*"` hooks; within each group the class's own hooks before
 * its mixins' (last mixin first); within one class, in declaration order.
 * A hook that throws sends the call to the `@OnError` hooks.
 */
export function After(actions: HookTarget): AfterDecorator {
  return hookDecorator("After", "after", actions);
}

/**
 * Runs the method when the named actions fail (the handler, a `@Before` or an
 * `@After` hook threw), as Moleculer's `hooks.error`: `(ctx, error) => value`.
 * Returning recovers: the caller gets the value and later error hooks are
 * skipped. Throwing (the same error or another) hands that error to the next
 * error hook, and after the last one to the caller. `this` = the service.
 *
 * Order: the same as `@After` (action's own first, then `"*"`; class before mixins).
 */
export function OnError(actions: HookTarget): HookDecorator<ErrorHook> {
  return hookDecorator("OnError", "error", actions);
}

function hookDecorator(decorator: string, kind: HookKind, target: HookTarget) {
  const actions = typeof target === "string" ? [target] : [...target];
  if (actions.length === 0 || actions.some((a) => typeof a !== "string" || a === "")) {
    throw new ServiceSchemaError(`@${decorator} needs action names (a name, "*", or a non-empty list of names).`, { decorator });
  }
  return (proto: object, key: string | symbol, descriptor?: unknown): void => {
    assertLegacyDecorator(decorator, key);
    const value: unknown = (descriptor as PropertyDescriptor | undefined)?.value;
    if (typeof value !== "function") {
      throw new ServiceSchemaError(`@${decorator} goes on a method; '${String(key)}' is not one.`, { decorator, member: String(key) });
    }
    const entry: ActionHookMetadata = { kind, actions, method: String(key) };
    appendMemberMetadata(HOOKS_METADATA, proto.constructor, entry);
  };
}
