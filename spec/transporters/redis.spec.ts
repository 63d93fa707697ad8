import { RedisTransporter } from "../../lib/transporters";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { Recorder, silentLogger, start, until } from "./helpers";
import { freePort, TcpProxy } from "../support/tcp-proxy";
import { transporterBehaviour } from "./transporter-behaviour";

describeWith("redis", "RedisTransporter (real Redis)", () => {
  describe("shared behaviour", () => {
    transporterBehaviour(() => new RedisTransporter({ url: BROKERS.redis.url }), { balanced: false });
  });

  describe("writes batched per tick", () => {
    it("sends the PUBLISHes of one tick in writes of 32, in order", async () => {
      const prefix = `MOL-${uniqueNamespace("redis-batch")}`;
      const a = new RedisTransporter({ url: BROKERS.redis.url });
      const b = new RedisTransporter({ url: BROKERS.redis.url });
      try {
        const recB = await start(b, prefix, "b");
        await b.subscribe("REQ", "b");
        await start(a, prefix, "a");
        const socket = (a.clients.pub as unknown as { stream: { _write: unknown; _writev: unknown } }).stream;
        let writes = 0;
        for (const method of ["_write", "_writev"] as const) {
          const original = socket[method] as (...args: unknown[]) => unknown;
          socket[method] = function (this: unknown, ...args: unknown[]) {
            writes++;
            return original.apply(this, args);
          };
        }
        for (let i = 0; i < 70; i++) void a.publish("REQ", "b", Buffer.from(String(i)));
        // Two full batches leave during the tick, the last 6 at its end.
        expect(writes).toBe(2);
        await until(() => recB.messages.length === 70, "70 REQ");
        expect(writes).toBe(3);
        expect(recB.messages.map((m) => m.data.toString())).toEqual(Array.from({ length: 70 }, (_, i) => String(i)));
      } finally {
        await Promise.all([a.disconnect(), b.disconnect()]);
      }
    });
  });

  describe("connection loss", () => {
    let proxy: TcpProxy;
    const opened: RedisTransporter[] = [];
    // Fast retries for the test (ioredis's default backs off up to 2 s), and a short
    // disconnectTimeout: ioredis keeps a 2 s timer alive after disconnecting a socket that never opened.
    const make = (port: number) => {
      const t = new RedisTransporter({ host: "127.0.0.1", port, retryStrategy: () => 50, disconnectTimeout: 50 });
      opened.push(t);
      return t;
    };

    beforeEach(() => {
      proxy = new TcpProxy(BROKERS.redis.host, BROKERS.redis.port);
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((t) => t.disconnect()));
      await proxy.stop();
    });

    it("reports onDisconnect, then onConnect(true) once re-subscribed, and messages flow again", async () => {
      const port = await proxy.start();
      const prefix = `MOL-${uniqueNamespace("redis-rc")}`;
      const a = make(port);
      const b = new RedisTransporter({ url: BROKERS.redis.url });
      opened.push(b);
      const recA = await start(a, prefix, "a");
      await start(b, prefix, "b");
      await a.subscribe("REQ", "a");
      await a.subscribe("INFO");
      await b.publish("REQ", "a", Buffer.from("1"));
      await until(() => recA.messages.length === 1, "first REQ");

      await proxy.stop();
      await until(() => recA.disconnects === 1, "onDisconnect");
      expect(a.connected).toBe(false);

      await proxy.start(port);
      await until(() => recA.connects.length === 2, "onConnect after reconnect");
      expect(recA.connects).toEqual([false, true]);
      expect(recA.disconnects).toBe(1);

      // autoResubscribe restored both channels before onConnect(true).
      await b.publish("REQ", "a", Buffer.from("2"));
      await b.publish("INFO", null, Buffer.from("3"));
      await until(() => recA.messages.length === 3, "packets after reconnect");
      expect(recA.messages.map((m) => `${m.cmd}:${m.data.toString()}`)).toEqual(["REQ:1", "REQ:2", "INFO:3"]);
      // and the publisher connection works again too
      await a.publish("INFO", null, Buffer.from("4"));
      await until(() => recA.messages.length === 4, "own INFO after reconnect");
    });

    it("gives up the first connect when disconnect() is called", async () => {
      const a = make(await freePort());
      a.init({ prefix: "MOL-x", nodeID: "a", logger: silentLogger, handlers: new Recorder() });
      const connecting = a.connect();
      await new Promise((resolve) => setTimeout(resolve, 80));
      await a.disconnect();
      await expect(connecting).rejects.toThrow(/cancelled/);
    });

    it("rejects the first connect when a custom retryStrategy gives up, and can connect later", async () => {
      const port = await freePort();
      const a = new RedisTransporter({ host: "127.0.0.1", port, retryStrategy: () => null, disconnectTimeout: 50 });
      opened.push(a);
      a.init({ prefix: "MOL-x", nodeID: "a", logger: silentLogger, handlers: new Recorder() });
      await expect(a.connect()).rejects.toThrow(/stopped retrying/);
      expect(a.connected).toBe(false);
      await proxy.start(port);
      await a.connect();
      expect(a.connected).toBe(true);
    });
  });
});
