import { BrokerOptionsError, MissingDriverError } from "../../lib/errors";
import { loadDriver } from "../../lib/utils/load-driver";

/** What Node throws when a package is not installed. */
function notFound(pkg: string): Error {
  const err = new Error(`Cannot find module '${pkg}'\nRequire stack:\n- /app/node_modules/nucleon/dist/utils/load-driver.js`);
  return Object.assign(err, { code: "MODULE_NOT_FOUND" });
}

/** Loads `load` in a fresh module registry where `pkg` is not installed. */
function withoutPackage<T>(pkg: string, load: () => T): T {
  let result: T | undefined;
  jest.isolateModules(() => {
    jest.doMock(pkg, () => {
      throw notFound(pkg);
    });
    result = load();
  });
  jest.dontMock(pkg);
  return result as T;
}

function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a throw");
}

describe("loadDriver", () => {
  it("returns the package when it is installed", () => {
    const nats = loadDriver<typeof import("nats")>("nats", "The NATS transporter");
    expect(typeof nats.connect).toBe("function");
  });

  it("turns a package that is not installed into MissingDriverError, an options error", () => {
    const err = thrownBy(() => loadDriver("nucleon-no-such-driver", "The Pigeon transporter"));
    expect(err).toBeInstanceOf(MissingDriverError);
    expect(err).toBeInstanceOf(BrokerOptionsError);
    expect(err.message).toBe(
      "The Pigeon transporter needs the `nucleon-no-such-driver` package: npm install nucleon-no-such-driver",
    );
    expect((err as MissingDriverError).data).toEqual({ package: "nucleon-no-such-driver", plugin: "The Pigeon transporter" });
  });

  it("rethrows a missing dependency of the package, and any other load error, as is", () => {
    const transitive = Object.assign(new Error("Cannot find module 'left-pad'\nRequire stack:\n- /app/node_modules/nucleon-fake-driver/index.js"), {
      code: "MODULE_NOT_FOUND",
    });
    jest.isolateModules(() => {
      jest.doMock("nucleon-fake-driver", () => {
        throw transitive;
      }, { virtual: true });
      expect(thrownBy(() => loadDriver("nucleon-fake-driver", "The Fake transporter"))).toBe(transitive);
    });
    const broken = new SyntaxError("Unexpected token");
    jest.isolateModules(() => {
      jest.doMock("nucleon-fake-driver", () => {
        throw broken;
      }, { virtual: true });
      expect(thrownBy(() => loadDriver("nucleon-fake-driver", "The Fake transporter"))).toBe(broken);
    });
  });
});

describe("a plugin whose driver is not installed", () => {
  it.each([
    ["nats", "The NATS transporter needs the `nats` package: npm install nats", "NATS"],
    ["ioredis", "The Redis transporter needs the `ioredis` package: npm install ioredis", "redis://127.0.0.1:6379"],
  ])("a %s transporter fails when built, with the install command", (pkg, message, spec) => {
    const err = withoutPackage(pkg, () => {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { resolveTransporter } = require("../../lib/transporters") as typeof import("../../lib/transporters");
      return thrownBy(() => resolveTransporter(spec));
    });
    expect(err.name).toBe("MissingDriverError");
    expect(err.message).toBe(message);
  });

  it("the Redis cacher names ioredis", () => {
    const err = withoutPackage("ioredis", () => {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { resolveCacher } = require("../../lib/cachers") as typeof import("../../lib/cachers");
      return thrownBy(() => resolveCacher("redis://127.0.0.1:6379"));
    });
    expect(err.message).toBe("The Redis cacher needs the `ioredis` package: npm install ioredis");
  });

  it("the MsgPack serializer names msgpackr; JSON needs nothing", () => {
    const [msgpack, json] = withoutPackage("msgpackr", () => {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { resolveSerializer } = require("../../lib/serializers") as typeof import("../../lib/serializers");
      return [thrownBy(() => resolveSerializer("MsgPack")), resolveSerializer("JSON")] as const;
    });
    expect(msgpack.message).toBe("The MsgPack serializer needs the `msgpackr` package: npm install msgpackr");
    expect(json.serialize({ a: 1 }).toString()).toBe('{"a":1}');
  });

  it("a broker with the default JSON and no transporter (or the memory one) needs none of them", async () => {
    const drivers = ["nats", "ioredis", "msgpackr"];
    await jest.isolateModulesAsync(async () => {
      for (const pkg of drivers) {
        jest.doMock(pkg, () => {
          throw notFound(pkg);
        });
      }
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { Action, Service, ServiceBroker } = require("../../lib") as typeof import("../../lib");
      @Service({ name: "math" })
      class MathService {
        @Action()
        add(params: { a: number; b: number }): number {
          return params.a + params.b;
        }
      }
      for (const transporter of [undefined, "memory"]) {
        const broker = new ServiceBroker({ logger: false, transporter, validator: false });
        broker.register(MathService);
        await broker.start();
        try {
          await expect(broker.call("math.add", { a: 1, b: 2 })).resolves.toBe(3);
        } finally {
          await broker.stop();
        }
      }
    });
    for (const pkg of drivers) jest.dontMock(pkg);
  });
});
