import type { ActionHandler, EventHandler } from "../registry/endpoint";
import type { Validator } from "../validation/validator";
import type { Middleware } from "./middleware";

/** Checks params (and event payloads) with checks compiled once per endpoint. */
export function validatorMiddleware(validator: Validator): Middleware {
  return {
    name: "Validator",
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
