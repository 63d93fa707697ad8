import { assertLegacyDecorator } from "./decorator-mode";
import { ACTIONS_METADATA } from "./metadata-keys";
import { appendMemberMetadata, firstParamType } from "./member-metadata";
import type { ActionMetadata, ActionOptions } from "./types";

/** Publishes a method as an action. Handler: `(params: Dto, ctx: Context) => result`. */
export function Action(options: ActionOptions = {}): MethodDecorator {
  return (proto, key, descriptor) => {
    assertLegacyDecorator("Action", key);
    const handler: unknown = descriptor.value;
    const entry: ActionMetadata = {
      method: String(key),
      options,
      paramType: firstParamType(proto, key),
      paramCount: typeof handler === "function" ? handler.length : 0,
      paramTypesEmitted: Reflect.hasMetadata("design:paramtypes", proto, key),
    };
    appendMemberMetadata(ACTIONS_METADATA, proto.constructor, entry);
  };
}
