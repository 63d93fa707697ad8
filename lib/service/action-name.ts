import type { Constructor } from "../decorators/types";
import { BrokerOptionsError } from "../errors";
import { describe } from "../service/describe";

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
