import {
  Action,
  BrokerOptionsError,
  RandomStrategy,
  RoundRobinStrategy,
  Service,
  ServiceBroker,
  Strategies,
  type SelectableEndpoint,
  type Strategy,
  type StrategyServices,
} from "nucleon";

const endpoints = ["a", "b", "c"].map((id) => ({ id, local: false, node: { cpu: null } }));

describe("strategies", () => {
  it("RoundRobin visits each endpoint in turn", () => {
    const s = new RoundRobinStrategy();
    expect(Array.from({ length: 7 }, () => s.select(endpoints).id)).toEqual(["a", "b", "c", "a", "b", "c", "a"]);
  });

  it("RoundRobin copes with a list that shrank", () => {
    const s = new RoundRobinStrategy();
    s.select(endpoints);
    s.select(endpoints);
    expect(s.select(endpoints.slice(0, 1)).id).toBe("a");
  });

  it("Random spreads over all endpoints", () => {
    const s = new RandomStrategy();
    const counts: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) counts[s.select(endpoints).id] = (counts[s.select(endpoints).id] ?? 0) + 1;
    for (const id of ["a", "b", "c"]) expect(counts[id]).toBeGreaterThan(700);
  });

  it("are listed by name", () => {
    expect(Strategies.names()).toEqual(expect.arrayContaining(["RoundRobin", "Random"]));
  });
});

/** A user's strategy: always the first endpoint; records how each one was built. */
class FirstStrategy implements Strategy {
  static built: { options: Record<string, unknown>; services: StrategyServices }[] = [];
  constructor(options: Record<string, unknown>, services: StrategyServices) {
    FirstStrategy.built.push({ options, services });
  }
  select<E extends SelectableEndpoint>(list: readonly E[]): E {
    return list[0];
  }
}

@Service({ name: "echo" })
class EchoService {
  @Action()
  hi(): string {
    return "hi";
  }
}

describe("Strategies registry", () => {
  afterEach(() => {
    Strategies.unregister("First");
    FirstStrategy.built = [];
  });

  it("builds a user's strategy by name with the broker's options and services", async () => {
    Strategies.register("First", FirstStrategy);
    const broker = new ServiceBroker({
      nodeID: "strategy-node",
      logger: false,
      registry: { strategy: "first", strategyOptions: { weight: 2 } },
    });
    broker.register(EchoService);
    await broker.start();
    try {
      await expect(broker.call("echo.hi")).resolves.toBe("hi");
      expect(FirstStrategy.built.length).toBeGreaterThan(0);
      expect(FirstStrategy.built[0].options).toEqual({ weight: 2 });
      expect(FirstStrategy.built[0].services.nodeID).toBe("strategy-node");
    } finally {
      await broker.stop();
    }
  });

  it("takes a strategy class as well, and names the known ones for an unknown name", () => {
    const services: StrategyServices = { nodeID: "n" };
    expect(Strategies.resolve({ type: FirstStrategy, options: { a: 1 } }, services)).toBeInstanceOf(FirstStrategy);
    expect(FirstStrategy.built[0]).toEqual({ options: { a: 1 }, services });
    expect(() => Strategies.resolve("Nope", services)).toThrow(
      new BrokerOptionsError("Unknown strategy 'Nope'. Known: RoundRobin, Random, CpuUsage, Latency, Shard."),
    );
  });
});
