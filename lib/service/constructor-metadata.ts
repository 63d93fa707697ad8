import { DECORATOR_SETUP_HINT } from "../decorators/decorator-mode";
import type { Constructor } from "../decorators/types";
import { ServiceSchemaError } from "../errors";

/** tsyringe's key for `@inject(token)` parameter tokens (its `INJECTION_TOKEN_METADATA_KEY`). */
const INJECTION_TOKENS = "injectionTokens";

/**
 * Without `emitDecoratorMetadata` the container cannot know what a
 * constructor wants, and would fail with an opaque message or inject
 * `undefined`. Each parameter needs a design type or an explicit
 * `@inject(token)`; anything else fails at `register`, naming the class.
 */
export function checkConstructorMetadata(target: Constructor): void {
  if (target.length === 0) return;
  const types = Reflect.getMetadata("design:paramtypes", target) as unknown[] | undefined;
  const tokens = (Reflect.getOwnMetadata(INJECTION_TOKENS, target) as Record<number, unknown> | undefined) ?? {};
  const missing: number[] = [];
  for (let i = 0; i < target.length; i++) if (types?.[i] === undefined && tokens[i] === undefined) missing.push(i);
  if (missing.length === 0) return;
  throw new ServiceSchemaError(
    `Service class '${target.name}' takes ${target.length} constructor parameter(s) but has no decorator metadata for ` +
      `parameter(s) ${missing.join(", ")}, so nothing can be injected: turn on "emitDecoratorMetadata" (${DECORATOR_SETUP_HINT}) ` +
      "or give each parameter an explicit @inject(token).",
    { service: target.name, missing },
  );
}
