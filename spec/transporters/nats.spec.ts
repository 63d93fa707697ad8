import { NatsTransporter } from "../../lib/transporters";
import { natsConnectionOptions } from "../../lib/transporters/nats";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { freePort, TcpProxy } from "../support/tcp-proxy";
import { transporterBehaviour } from "./transporter-behaviour";
import { Recorder, silentLogger, start, until } from "./helpers";

describe("natsConnectionOptions", () => {
  it("turns Moleculer's url into servers and credentials, reconnecting forever by default", () => {
    expect(natsConnectionOptions({ url: "nats://u:p@127.0.0.1:4222,nats://127.0.0.1:4223" })).toEqual({
      servers: ["127.0.0.1:4222", "127.0.0.1:4223"],
      user: "u",
      pass: "p",
      maxReconnectAttempts: -1,
    });
    expect(natsConnectionOptions({ url: "nats://tok@127.0.0.1:4222", servers: "127.0.0.1:1" })).toMatchObject({
      servers: ["127.0.0.1:1", "127.0.0.1:4222"],
      token: "tok",
    });
    expect(natsConnectionOptions({ maxReconnectAttempts: 3, connectRetryDelay: 10 })).toEqual({
      maxReconnectAttempts: 3,
    });
  });
});

describeWith("nats", "NatsTransporter (real NATS)", () => {
  describe("shared behaviour", () => {
    transporterBehaviour(() => new NatsTransporter({ url: BROKERS.nats.url }), { balanced: true });
  });

  describe("connection loss", () => {
    let proxy: TcpProxy;
    const opened: NatsTransporter[] = [];
    const make = (port: number, extra: Record<string, unknown> = {}) => {
      const t = new NatsTransporter({
        servers: `127.0.0.1:${port}`,
        reconnectTimeWait: 50,
        reconnectJitter: 0,
        connectRetryDelay: 50,
        ...extra,
      });
      opened.push(t);
      return t;
    };

    beforeEach(() => {
      proxy = new TcpProxy(BROKERS.nats.host, BROKERS.nats.port);
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((t) => t.disconnect()));
      await proxy.stop();
    });

    it("reports onDisconnect, then onConnect(true), and messages flow again", async () => {
      const port = await proxy.start();
      const prefix = `MOL-${uniqueNamespace("nats-rc")}`;
      const a = make(port);
      const b = new NatsTransporter({ url: BROKERS.nats.url });
      opened.push(b);
      const recA = await start(a, prefix, "a");
      await start(b, prefix, "b");
      await a.subscribe("REQ", "a");
      await b.publish("REQ", "a", Buffer.from("1"));
      await until(() => recA.messages.length === 1, "first REQ");

      await proxy.stop(); // the server "goes away"
      await until(() => recA.disconnects === 1, "onDisconnect");
      expect(a.connected).toBe(false);

      await proxy.start(port);
      await until(() => recA.connects.length === 2, "onConnect after reconnect");
      expect(recA.connects).toEqual([false, true]);
      expect(a.connected).toBe(true);

      await b.publish("REQ", "a", Buffer.from("2"));
      await until(() => recA.messages.length === 2, "REQ after reconnect");
      expect(recA.texts()).toEqual(["1", "2"]);
    });

    it("retries the first connect until the server is there", async () => {
      const port = await freePort();
      const a = make(port);
      const rec = new Recorder();
      a.init({ prefix: "MOL-x", nodeID: "a", logger: silentLogger, handlers: rec });
      let done = false;
      const connecting = a.connect().then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(done).toBe(false);
      await proxy.start(port);
      await connecting;
      expect(rec.connects).toEqual([false]);
    });

    it("gives up the first connect when disconnect() is called", async () => {
      const a = make(await freePort());
      a.init({ prefix: "MOL-x", nodeID: "a", logger: silentLogger, handlers: new Recorder() });
      const connecting = a.connect();
      await new Promise((resolve) => setTimeout(resolve, 80));
      await a.disconnect();
      await expect(connecting).rejects.toThrow(/cancelled/);
      expect(a.connected).toBe(false);
    });
  });
});
