import { assertLegacyDecorator } from "./decorator-mode";
import { EVENTS_METADATA } from "./metadata-keys";
import { appendMemberMetadata, firstParamType } from "./member-metadata";
import type { EventMetadata, EventOptions } from "./types";

/** Subscribes a method to an event (wildcards `*`, `**` allowed). Handler: `(payload, ctx)`. */
export function Event(event: string, options: EventOptions = {}): MethodDecorator {
  return (proto, key) => {
    assertLegacyDecorator("Event", key);
    const entry: EventMetadata = { method: String(key), event, options, paramType: firstParamType(proto, key) };
    appendMemberMetadata(EVENTS_METADATA, proto.constructor, entry);
  };
}
