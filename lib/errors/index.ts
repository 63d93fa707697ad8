export * from "./base";
export * from "./broker-errors";
