export * from "./node";
export * from "./endpoint";
export * from "./endpoint-list";
export * from "./action-catalog";
export * from "./event-catalog";
export * from "./registry";
