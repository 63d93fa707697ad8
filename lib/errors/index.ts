export * from "./base";
export * from "./broker-errors";
export * from "./codec";
export * from "./thrown";
export * from "./transit-errors";
