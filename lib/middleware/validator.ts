import type { ActionHandler, EventHandler } from "../registry/endpoint";
import type { Validator } from "../validation/validator";
import type { Middleware } from "./middleware";

/** Checks params (and event payloads) with checks compiled once per endpoint. */
export function validatorMiddleware(validator: Validator): Middleware {
  return {
    name: "Validator",
    // Once per action at register: params typed as an interface are silently unchecked otherwise.
    serviceCreated(runtime) {
      for (const action of runtime.descriptor.actions) {
        if (action.unvalidatedParams === undefined || action.visibility === "private") continue;
        runtime.logger.warn(
          { action: action.name },
          `params of ${action.name} are not validated: ${action.unvalidatedParams}. ` +
            "Use a class with class-validator decorators as the params type, or set `params: false` in @Action() to silence this.",
        );
      }
    },
    localAction(next: ActionHandler, endpoint): ActionHandler {
      const check = validator.compile(endpoint.action.params);
      if (!check) return next;
      return (ctx) => {
        let checked: unknown;
        try {
          checked = check(ctx.params);
        } catch (err) {
          return Promise.reject(err);
        }
        if (checked instanceof Promise) {
          return checked.then((value) => {
            ctx.params = value;
            return next(ctx);
          });
        }
        ctx.params = checked;
        return next(ctx);
      };
    },
    localEvent(next: EventHandler, endpoint): EventHandler {
      const check = validator.compile(endpoint.event.params);
      if (!check) return next;
      return (ctx) => {
        try {
          const checked = check(ctx.params);
          if (checked instanceof Promise) {
            return checked.then((value) => {
              ctx.params = value;
              return next(ctx);
            });
          }
          ctx.params = checked;
        } catch (err) {
          return Promise.reject(err);
        }
        return next(ctx);
      };
    },
  };
}
