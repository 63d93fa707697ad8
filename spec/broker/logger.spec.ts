import { BrokerOptionsError, ServiceBroker } from "nucleon";

/** pino-pretty is an optional peer: the specs stand in for it with virtual modules. */
describe("logger: { pretty: true }", () => {
  afterEach(() => {
    jest.dontMock("pino-pretty");
    jest.resetModules();
  });

  it("fails in the constructor with the install command when pino-pretty is missing", () => {
    jest.doMock(
      "pino-pretty",
      () => {
        throw Object.assign(new Error("Cannot find module 'pino-pretty'"), { code: "MODULE_NOT_FOUND" });
      },
      { virtual: true },
    );
    const create = () => new ServiceBroker({ nodeID: "pretty-1", logger: { pretty: true } });
    expect(create).toThrow(BrokerOptionsError);
    expect(create).toThrow('needs the optional peer dependency "pino-pretty": npm install --save-dev pino-pretty');
  });

  it("writes through pino-pretty's stream, with its options", () => {
    const lines: string[] = [];
    const factory = jest.fn((_options: Record<string, unknown>) => ({ write: (line: string) => void lines.push(line) }));
    jest.doMock("pino-pretty", () => factory, { virtual: true });
    const broker = new ServiceBroker({ nodeID: "pretty-2", logger: { pretty: { translateTime: true } } });
    broker.logger.info("hello");
    expect(factory).toHaveBeenCalledWith({ colorize: true, translateTime: true });
    expect(lines.some((line) => line.includes('"msg":"hello"') && line.includes('"nodeID":"pretty-2"'))).toBe(true);
  });
});
