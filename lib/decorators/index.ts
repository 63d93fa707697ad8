export { Service } from "./service";
export { Action } from "./action";
export { Event } from "./event";
export { Cached } from "./cached";
export { Before, After, OnError } from "./hooks";
export type { BeforeHook, AfterHook, ErrorHook, HookTarget } from "./hooks";
export * from "./types";
export * from "./metadata-keys";
