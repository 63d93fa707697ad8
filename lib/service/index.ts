export * from "./descriptor";
export { describe, dependencyNames, isServiceClass } from "./describe";
export { serviceFullName, defaultServiceName } from "./names";
export * from "./lifecycle";
export { ServiceRuntime } from "./service-runtime";
