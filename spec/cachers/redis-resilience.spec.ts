import { once } from "node:events";
import { RedisCacher } from "../../lib/cachers";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { captureLogger } from "./capture-logger";
import { TcpProxy } from "../support/tcp-proxy";

async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await promise;
  return { value, ms: Date.now() - started };
}

describeWith("redis", "RedisCacher resilience", () => {
  const proxy = new TcpProxy(BROKERS.redis.host, BROKERS.redis.port);
  let cacher: RedisCacher;

  afterEach(async () => {
    // Cacher first: ioredis arms a 2 s ref'd timer when told to disconnect a socket that is already gone.
    await cacher?.close();
    await proxy.stop();
  });

  it("degrades to misses during an outage and resumes when Redis is back", async () => {
    const port = await proxy.start(0);
    const { logger, warnings, lines } = captureLogger();
    cacher = new RedisCacher({ url: `redis://127.0.0.1:${port}`, prefix: `${uniqueNamespace("nucleon-resilience")}:`, logger });

    await cacher.set("users.1", { id: 1 });
    await expect(cacher.get("users.1")).resolves.toEqual({ id: 1 });

    // Outage: established sockets cut and nothing listening any more.
    await proxy.stop();
    const read = await timed(cacher.get("users.1"));
    expect(read.value).toBeUndefined();
    expect(read.ms).toBeLessThan(1000);
    const write = await timed(cacher.set("users.2", { id: 2 }));
    expect(write.ms).toBeLessThan(1000);
    await expect(cacher.get("users.2")).resolves.toBeUndefined();
    await cacher.del(["users.1", "users.2"]);
    await cacher.clean("users.*");
    await expect(cacher.lock("users.3", async () => "ran unlocked")).resolves.toBe("ran unlocked");
    expect(warnings()).toHaveLength(1);

    // Back on the same port: ioredis reconnects by itself.
    await proxy.start(port);
    if (cacher.client.status !== "ready") await once(cacher.client, "ready");
    await cacher.set("users.2", { id: 2 });
    await expect(cacher.get("users.2")).resolves.toEqual({ id: 2 });
    await expect(cacher.get("users.1")).resolves.toEqual({ id: 1 });
    expect(lines.some((line) => line.level === 30 && /available again/.test(line.msg))).toBe(true);

    // A second outage is a new outage: one more warning.
    await proxy.stop();
    await expect(cacher.get("users.1")).resolves.toBeUndefined();
    await cacher.set("users.1", 1);
    expect(warnings()).toHaveLength(2);

    await proxy.start(port);
    if (cacher.client.status !== "ready") await once(cacher.client, "ready");
    await cacher.clean();
  });
});
