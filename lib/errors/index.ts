export * from "./base";
export * from "./broker-errors";
export * from "./codec";
