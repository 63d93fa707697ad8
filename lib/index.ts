import "reflect-metadata";

// One import for a controller: the DI decorators services and controllers use.
export { injectable, inject, singleton, container } from "tsyringe";
export type { DependencyContainer, InjectionToken } from "tsyringe";

export * from "./decorators";
export * from "./errors";
export * from "./context";
export * from "./broker";
export * from "./middleware";
export * from "./registry";
export * from "./strategies";
export * from "./validation";
export * from "./cachers";
export * from "./serializers";
export * from "./transporters";
export * from "./transit";
export { describe, serviceFullName, defaultServiceName, ServiceRuntime } from "./service";
export type {
  ServiceDescriptor,
  ActionDescriptor,
  EventDescriptor,
  DependencyDescriptor,
  OnServiceCreated,
  OnServiceStarted,
  OnServiceStopped,
} from "./service";
