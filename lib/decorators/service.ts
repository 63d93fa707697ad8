import { injectable } from "tsyringe";
import { assertLegacyDecorator } from "./decorator-mode";
import { SERVICE_METADATA } from "./metadata-keys";
import type { ServiceOptions } from "./types";

/** Marks a class as a service and makes it injectable; wiring happens at `broker.register`. */
export function Service(options: ServiceOptions = {}): ClassDecorator {
  return (target, ...rest: unknown[]) => {
    assertLegacyDecorator("Service", rest[0]);
    Reflect.defineMetadata(SERVICE_METADATA, options, target);
    injectable()(target as never);
  };
}
