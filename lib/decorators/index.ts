export { Service } from "./service";
export { Action } from "./action";
export { Event } from "./event";
export { Cached } from "./cached";
export * from "./types";
export * from "./metadata-keys";
