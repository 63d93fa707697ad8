import { randomBytes } from "node:crypto";
import { BrokerDisconnectedError } from "../../lib/errors";
import type { Transporter } from "../../lib/transporters";
import { uniqueNamespace } from "../support/brokers";
import { Recorder, sleep, start, until } from "./helpers";

export interface BehaviourOptions {
  /** Whether the transport balances REQB/EVENTB itself (queue groups). */
  balanced: boolean;
  /**
   * False for a transport that carries only targeted EVENT/REQ/RES/PING/PONG
   * (TCP: discovery travels in its gossip): broadcasts and the discovery
   * packets are dropped, and the tests use targeted packets instead.
   */
  broadcasts?: boolean;
}

/**
 * The behaviour every transporter must show, run against each implementation
 * with two instances (nodes `a` and `b`) on a fresh topic prefix per test.
 * "Nothing else arrived" is checked with a sentinel sent after the message in
 * question by the same publisher: per-publisher order makes that deterministic.
 */
export function transporterBehaviour(factory: () => Transporter, options: BehaviourOptions): void {
  const broadcasts = options.broadcasts !== false;
  let prefix: string;
  let a: Transporter;
  let b: Transporter;
  let recA: Recorder;
  let recB: Recorder;

  beforeEach(async () => {
    prefix = `MOL-${uniqueNamespace("tr")}`;
    a = factory();
    b = factory();
    [recA, recB] = await Promise.all([start(a, prefix, "node-a"), start(b, prefix, "node-b")]);
  });

  afterEach(async () => {
    await Promise.all([a.disconnect(), b.disconnect()]);
  });

  it("connects once, reporting onConnect(false)", async () => {
    expect(a.connected).toBe(true);
    expect(recA.connects).toEqual([false]);
    await a.connect(); // already connected: nothing happens
    expect(recA.connects).toEqual([false]);
  });

  it("delivers targeted packets only to their target", async () => {
    await a.subscribe("REQ", "node-a");
    await b.subscribe("REQ", "node-b");
    await b.subscribe("INFO");
    await b.publish("REQ", "node-a", Buffer.from("for-a"));
    if (broadcasts) await b.publish("INFO", null, Buffer.from("sentinel"));
    else await b.publish("RES", "node-b", Buffer.from("sentinel"));
    await until(() => recA.messages.length === 1 && recB.messages.length === 1, "REQ at a, sentinel at b");
    expect(recA.messages.map((m) => [m.cmd, m.data.toString()])).toEqual([["REQ", "for-a"]]);
    expect(recB.texts()).toEqual(["sentinel"]);
  });

  if (!broadcasts) {
    it("drops broadcasts and the packets its own discovery replaces", async () => {
      for (const cmd of ["EVENT", "HEARTBEAT", "INFO", "DISCOVER", "DISCONNECT"] as const) await b.subscribe(cmd);
      for (const cmd of ["HEARTBEAT", "INFO", "DISCOVER", "DISCONNECT"] as const) await a.publish(cmd, null, Buffer.from(cmd));
      for (const cmd of ["INFO", "DISCOVER", "HEARTBEAT"] as const) await a.publish(cmd, "node-b", Buffer.from(cmd));
      await a.publish("EVENT", null, Buffer.from("untargeted"));
      await a.publish("EVENT", "node-b", Buffer.from("sentinel"));
      await until(() => recB.messages.length >= 1, "sentinel at b");
      await sleep(50);
      expect(recB.texts()).toEqual(["sentinel"]);
      expect(recA.messages).toHaveLength(0);
    });
  }

  if (broadcasts) it("delivers broadcasts to every subscriber, the publisher included", async () => {
    await a.subscribe("HEARTBEAT");
    await b.subscribe("HEARTBEAT");
    await a.publish("HEARTBEAT", null, Buffer.from("hb"));
    await until(() => recA.messages.length === 1 && recB.messages.length === 1, "heartbeat at a and b");
    expect(recA.messages[0].cmd).toBe("HEARTBEAT");
    expect(recB.texts()).toEqual(["hb"]);
  });

  it("reports the command of each topic", async () => {
    const targeted = broadcasts ? (["EVENT", "REQ", "RES", "DISCOVER", "INFO", "PING", "PONG"] as const) : (["EVENT", "REQ", "RES", "PING", "PONG"] as const);
    const broadcast = broadcasts ? (["DISCOVER", "INFO", "HEARTBEAT", "DISCONNECT"] as const) : [];
    for (const cmd of targeted) await b.subscribe(cmd, "node-b");
    for (const cmd of broadcast) await b.subscribe(cmd);
    for (const cmd of targeted) await a.publish(cmd, "node-b", Buffer.from(`${cmd}.node-b`));
    for (const cmd of broadcast) await a.publish(cmd, null, Buffer.from(cmd));
    const total = targeted.length + broadcast.length;
    await until(() => recB.messages.length === total, `${total} packets at b`);
    for (const { cmd, data } of recB.messages) expect(data.toString().split(".")[0]).toBe(cmd);
  });

  it("treats a repeated subscribe as a no-op", async () => {
    await b.subscribe("RES", "node-b");
    await b.subscribe("RES", "node-b");
    await a.publish("RES", "node-b", Buffer.from("once"));
    await a.publish("RES", "node-b", Buffer.from("sentinel"));
    await until(() => recB.texts().includes("sentinel"), "sentinel at b");
    expect(recB.texts()).toEqual(["once", "sentinel"]);
  });

  it("delivers Buffers byte-identical, up to 1 MiB", async () => {
    await b.subscribe("EVENT", "node-b");
    const payloads = [Buffer.alloc(0), Buffer.from([0, 255, 10, 13, 0]), randomBytes(64 * 1024), randomBytes(1024 * 1024)];
    for (const p of payloads) await a.publish("EVENT", "node-b", p);
    await until(() => recB.messages.length === payloads.length, "all payloads at b", 8000);
    recB.messages.forEach(({ data }, i) => {
      expect(Buffer.isBuffer(data)).toBe(true);
      expect(data.equals(payloads[i])).toBe(true);
    });
  });

  it("keeps the order of many messages from one publisher", async () => {
    await b.subscribe("REQ", "node-b");
    const count = 2000;
    const sends: Promise<void>[] = [];
    for (let i = 0; i < count; i++) sends.push(a.publish("REQ", "node-b", Buffer.from(String(i))));
    await Promise.all(sends);
    await until(() => recB.messages.length === count, `${count} messages at b`, 8000);
    expect(recB.texts()).toEqual(Array.from({ length: count }, (_, i) => String(i)));
  });

  it("delivers asynchronously, never inside publish()", async () => {
    await a.subscribe("PING", "node-a");
    const sent = a.publish("PING", "node-a", Buffer.from("p"));
    expect(recA.messages).toHaveLength(0);
    await sent;
    await until(() => recA.messages.length === 1, "ping at a");
  });

  if (!broadcasts) {
    it("stops delivery on disconnect and refuses to publish afterwards", async () => {
      await a.publish("EVENT", "node-b", Buffer.from("before"));
      await until(() => recB.messages.length === 1, "first EVENT at b");
      await b.disconnect();
      expect(b.connected).toBe(false);
      expect(recB.disconnects).toBe(0);
      // The peer is gone: the send fails, or goes into a socket that is closing.
      await a.publish("EVENT", "node-b", Buffer.from("after")).catch(() => undefined);
      await a.publish("PING", "node-a", Buffer.from("sentinel"));
      await until(() => recA.messages.length === 1, "sentinel at a");
      await sleep(100);
      expect(recB.texts()).toEqual(["before"]);
      await expect(b.publish("EVENT", "node-a", Buffer.from("x"))).rejects.toBeInstanceOf(BrokerDisconnectedError);
    });
  }

  if (broadcasts) it("stops delivery on disconnect and refuses to publish afterwards", async () => {
    await a.subscribe("INFO");
    await b.subscribe("INFO");
    await a.publish("INFO", null, Buffer.from("before"));
    await until(() => recB.messages.length === 1 && recA.messages.length === 1, "first INFO at a and b");
    await b.disconnect();
    expect(b.connected).toBe(false);
    expect(recB.disconnects).toBe(0); // our own disconnect is not a lost connection
    await a.publish("INFO", null, Buffer.from("after"));
    await until(() => recA.messages.length === 2, "second INFO at a");
    await sleep(100);
    expect(recB.texts()).toEqual(["before"]);
    await expect(b.publish("INFO", null, Buffer.from("x"))).rejects.toBeInstanceOf(BrokerDisconnectedError);
  });

  it("connects again after a disconnect, as a fresh start", async () => {
    await b.disconnect();
    await b.connect();
    expect(recB.connects).toEqual([false, false]);
    await b.subscribe("PONG", "node-b");
    await a.publish("PONG", "node-b", Buffer.from("pong"));
    await until(() => recB.messages.length === 1, "pong at b");
  });

  if (options.balanced) {
    it("balances REQB between the members of the action's queue group", async () => {
      await a.subscribeBalancedRequest("math.add");
      await b.subscribeBalancedRequest("math.add");
      const count = 40;
      for (let i = 0; i < count; i++) await a.publishBalancedRequest("math.add", Buffer.from(String(i)));
      await until(() => recA.messages.length + recB.messages.length === count, `${count} REQB in total`);
      await sleep(50);
      const all = [...recA.texts(), ...recB.texts()].map(Number).sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: count }, (_, i) => i)); // each exactly once
      expect(recA.messages.length).toBeGreaterThan(0);
      expect(recB.messages.length).toBeGreaterThan(0);
      for (const m of [...recA.messages, ...recB.messages]) expect(m.cmd).toBe("REQ");
    });

    it("balances EVENTB per group and maps `**` to a tail wildcard", async () => {
      await a.subscribeBalancedEvent("a.**", "users");
      await b.subscribeBalancedEvent("a.**", "users");
      await b.subscribeBalancedEvent("a.b.*", "audit"); // another group gets every match
      const names = ["a.b.c", "a.x", "a.b.c.d", "a.b.e"];
      const count = 40;
      for (let i = 0; i < count; i++) {
        await a.publishBalancedEvent(names[i % names.length], "users", Buffer.from(`users-${i}`));
      }
      await a.publishBalancedEvent("a.b.c", "audit", Buffer.from("audit-1"));
      await a.publishBalancedEvent("a.b.c.d", "audit", Buffer.from("audit-ignored")); // `*` is one token
      await a.publishBalancedEvent("b.c", "users", Buffer.from("users-ignored"));
      await until(() => recA.messages.length + recB.messages.length === count + 1, "balanced events");
      await sleep(50);
      const all = [...recA.texts(), ...recB.texts()];
      expect(all.filter((t) => t.startsWith("users-")).sort()).toEqual(
        Array.from({ length: count }, (_, i) => `users-${i}`).sort(),
      );
      expect(recB.texts()).toContain("audit-1");
      expect(all).not.toContain("audit-ignored");
      expect(all).not.toContain("users-ignored");
      expect(recA.messages.length).toBeGreaterThan(0);
      for (const m of [...recA.messages, ...recB.messages]) expect(m.cmd).toBe("EVENT");
    });

    it("drops the balanced subscriptions on unsubscribeFromBalancedCommands()", async () => {
      await a.subscribeBalancedRequest("svc.act");
      await b.subscribeBalancedRequest("svc.act");
      await a.unsubscribeFromBalancedCommands();
      for (let i = 0; i < 10; i++) await a.publishBalancedRequest("svc.act", Buffer.from(String(i)));
      await until(() => recB.messages.length === 10, "all REQB at b");
      expect(recA.messages).toHaveLength(0);
      // Re-subscribing afterwards works (transit re-makes them before every INFO).
      await a.subscribeBalancedRequest("svc.act");
      await b.unsubscribeFromBalancedCommands();
      await b.publishBalancedRequest("svc.act", Buffer.from("x"));
      await until(() => recA.messages.length === 1, "REQB at a");
    });
  } else {
    it("has no balancer: balanced subscriptions are no-ops, balanced publishing fails clearly", async () => {
      expect(a.hasBuiltInBalancer).toBe(false);
      await expect(a.subscribeBalancedRequest("math.add")).resolves.toBeUndefined();
      await expect(a.subscribeBalancedEvent("user.created", "users")).resolves.toBeUndefined();
      await expect(a.unsubscribeFromBalancedCommands()).resolves.toBeUndefined();
      await expect(a.publishBalancedRequest("math.add", Buffer.from("x"))).rejects.toThrow(/no built-in balancer/);
      await expect(a.publishBalancedEvent("user.created", "users", Buffer.from("x"))).rejects.toThrow(
        /no built-in balancer/,
      );
    });
  }
}
