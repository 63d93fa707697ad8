import { readMemberMetadata } from "../decorators/member-metadata";
import { HOOKS_METADATA } from "../decorators/metadata-keys";
import type { ActionHookMetadata, Constructor, HookKind } from "../decorators/types";
import { ServiceSchemaError } from "../errors";
import { matchEventName } from "../utils/wildcard";
import type { ActionDescriptor, ActionHooks } from "./descriptor";

const SERVICE_WIDE = "*";

/**
 * Reads the hook metadata of a service's sources (mixins first, the class
 * last) and gives each action the hook methods that apply to it, in run
 * order, as plain method names. Actions without hooks get no `hooks` field,
 * so their handler is composed exactly as if hooks did not exist.
 */
export function assignActionHooks(fullName: string, sources: readonly Constructor[], actions: readonly ActionDescriptor[]): void {
  const perSource = sources.map((source) => readMemberMetadata<ActionHookMetadata>(HOOKS_METADATA, source));
  if (perSource.every((hooks) => hooks.length === 0)) return;
  checkOwnTargets(fullName, perSource[perSource.length - 1], actions);
  for (const action of actions) {
    const hooks: ActionHooks = {
      before: orderFor(perSource, "before", action.rawName),
      after: orderFor(perSource, "after", action.rawName),
      error: orderFor(perSource, "error", action.rawName),
    };
    if (hooks.before.length + hooks.after.length + hooks.error.length > 0) action.hooks = hooks;
  }
}

/**
 * Moleculer's order: before = service-wide then per-action, each with mixins
 * before the class; after and error = the exact reverse (per-action then
 * service-wide, each with the class before its mixins). A method listed
 * twice for one action (`@Before(["*", "create"])`) runs once, at its first place.
 */
function orderFor(perSource: ReadonlyArray<readonly ActionHookMetadata[]>, kind: HookKind, action: string): string[] {
  const sources = kind === "before" ? perSource : [...perSource].reverse();
  const groups = kind === "before" ? [true, false] : [false, true];
  const methods: string[] = [];
  for (const serviceWide of groups) {
    for (const hooks of sources) {
      for (const hook of hooks) {
        if (hook.kind !== kind || !hook.actions.some((t) => (t === SERVICE_WIDE ? serviceWide : !serviceWide && targets(t, action)))) continue;
        if (!methods.includes(hook.method)) methods.push(hook.method);
      }
    }
  }
  return methods;
}

/** A hook target: an action name, a wildcard (`get*`) or alternatives (`create|update`), as Moleculer matches them. */
function targets(target: string, action: string): boolean {
  return target.split("|").some((pattern) => matchEventName(action, pattern));
}

/**
 * A hook the class declares for a plain action name that does not exist is a
 * typo that would silently never run: fail at `register`. Mixins' hooks may
 * name actions a given service lacks (Moleculer ignores those too).
 */
function checkOwnTargets(fullName: string, own: readonly ActionHookMetadata[], actions: readonly ActionDescriptor[]): void {
  for (const hook of own) {
    for (const target of hook.actions) {
      for (const name of target.split("|")) {
        if (name === SERVICE_WIDE || /[*?]/.test(name) || actions.some((a) => a.rawName === name)) continue;
        throw new ServiceSchemaError(`Hook method '${hook.method}' of service '${fullName}' targets action '${name}', which the service does not have.`, {
          service: fullName,
          method: hook.method,
          action: name,
        });
      }
    }
  }
}
