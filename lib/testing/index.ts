import "reflect-metadata";

export { createTestBroker } from "./create-test-broker";
export type { Provider, StubHandler, TestBrokerOptions } from "./create-test-broker";
