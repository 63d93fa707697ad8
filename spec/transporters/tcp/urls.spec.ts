import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BrokerOptionsError } from "../../../lib/errors";
import { resolveTcpOptions } from "../../../lib/transporters/tcp/options";
import { parseUrls } from "../../../lib/transporters/tcp/urls";

const both = [
  { nodeID: "n1", host: "127.0.0.1", port: 6001 },
  { nodeID: "n2", host: "127.0.0.1", port: 6002 },
];

describe("TCP urls", () => {
  it("reads a comma-separated string, with or without tcp://", () => {
    expect(parseUrls("127.0.0.1:6001/n1, tcp://127.0.0.1:6002/n2")).toEqual(both);
  });

  it("reads an array and an object", () => {
    expect(parseUrls(["127.0.0.1:6001/n1", "127.0.0.1:6002/n2"])).toEqual(both);
    expect(parseUrls({ n1: "127.0.0.1:6001", n2: "127.0.0.1:6002" })).toEqual(both);
  });

  it("reads file:// lists: JSON array, JSON object, one per line", () => {
    const dir = mkdtempSync(join(tmpdir(), "nucleon-urls-"));
    const files = {
      array: JSON.stringify(["127.0.0.1:6001/n1", "127.0.0.1:6002/n2"]),
      object: JSON.stringify({ n1: "127.0.0.1:6001", n2: "127.0.0.1:6002" }),
      lines: "127.0.0.1:6001/n1\n\n127.0.0.1:6002/n2\n",
    };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name), content);
      expect(parseUrls(`file://${join(dir, name)}`)).toEqual(both);
    }
  });

  it("keeps IPv6 hosts", () => {
    expect(parseUrls("[::1]:6001/n1,::1:6002/n2")).toEqual([
      { nodeID: "n1", host: "::1", port: 6001 },
      { nodeID: "n2", host: "::1", port: 6002 },
    ]);
  });

  it.each([["127.0.0.1:6001"], ["127.0.0.1/n1"], ["127.0.0.1:0/n1"], ["127.0.0.1:99999/n1"], [":6001/n1"], ["file:///no/such/file"]])(
    "refuses %s with a typed error",
    (url) => {
      expect(() => parseUrls(url)).toThrow(BrokerOptionsError);
    },
  );

  it("takes this node's listen address from a single tcp:// URL without a nodeID", () => {
    const opts = resolveTcpOptions({ url: "tcp://127.0.0.1:6000" });
    expect(opts).toMatchObject({ host: "127.0.0.1", port: 6000, urls: null });
    expect(resolveTcpOptions({ url: "tcp://127.0.0.1:6001/n1" }).urls).toBe("tcp://127.0.0.1:6001/n1");
    expect(resolveTcpOptions("127.0.0.1:6001/n1").urls).toBe("127.0.0.1:6001/n1");
  });

  it("has Moleculer's defaults and refuses nonsense", () => {
    expect(resolveTcpOptions()).toMatchObject({
      udpDiscovery: true,
      udpPort: 4445,
      udpPeriod: 30,
      udpMulticast: "239.0.0.0",
      udpMulticastTTL: 1,
      udpBroadcast: false,
      gossipPeriod: 2,
      maxConnections: 32,
      maxPacketSize: 1024 * 1024,
      useHostname: true,
      port: 0,
    });
    expect(() => resolveTcpOptions({ maxConnections: 0 })).toThrow(BrokerOptionsError);
    expect(() => resolveTcpOptions({ port: 70000 })).toThrow(BrokerOptionsError);
  });
});
