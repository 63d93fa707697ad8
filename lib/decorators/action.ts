import { ACTIONS_METADATA } from "./metadata-keys";
import { appendMemberMetadata, firstParamType } from "./member-metadata";
import type { ActionMetadata, ActionOptions } from "./types";

/** Publishes a method as an action. Handler: `(params: Dto, ctx: Context) => result`. */
export function Action(options: ActionOptions = {}): MethodDecorator {
  return (proto, key) => {
    const entry: ActionMetadata = { method: String(key), options, paramType: firstParamType(proto, key) };
    appendMemberMetadata(ACTIONS_METADATA, proto.constructor, entry);
  };
}
