import { injectable } from "tsyringe";
import { SERVICE_METADATA } from "./metadata-keys";
import type { ServiceOptions } from "./types";

/** Marks a class as a service and makes it injectable; wiring happens at `broker.register`. */
export function Service(options: ServiceOptions = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(SERVICE_METADATA, options, target);
    injectable()(target as never);
  };
}
