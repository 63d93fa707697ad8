import { JSONSerializer } from "../../lib/serializers";
import { PacketIntake } from "../../lib/transit/packet-intake";
import type { ProtocolVersion } from "../../lib/transit/packets";
import { RateLimitedLog } from "../../lib/utils/rate-limited-log";

const opts = { maxPacketSize: 0, maxPacketDepth: 0, disableVersionCheck: false, protocolVersion: "4" as ProtocolVersion };
const json = (o: unknown) => Buffer.from(JSON.stringify(o));

function intake(protocolVersion: ProtocolVersion = "4") {
  const lines: { obj: object; msg: string }[] = [];
  const refused: { cmd: string; reason: string }[] = [];
  const log = new RateLimitedLog({ warn: (obj, msg) => lines.push({ obj, msg }) });
  const reader = new PacketIntake(new JSONSerializer(), { ...opts, protocolVersion }, log, (cmd, _payload, reason) => refused.push({ cmd, reason }));
  return { reader, lines, refused };
}

describe("PacketIntake", () => {
  it("hands on a packet typed by its command", () => {
    const { reader, lines } = intake();
    const packet = reader.read("HEARTBEAT", json({ ver: "4", sender: "a", cpu: 3 }));
    expect(packet).toEqual({ cmd: "HEARTBEAT", payload: { ver: "4", sender: "a", cpu: 3 } });
    expect(lines).toEqual([]);
  });

  it("drops a malformed packet with one rate-limited line naming the field, and reports it refused", () => {
    const { reader, lines, refused } = intake();
    for (let i = 0; i < 5; i++) expect(reader.read("REQ", json({ ver: "4", sender: "a", id: "r", action: 5 }))).toBeNull();
    expect(lines).toEqual([{ obj: { cmd: "REQ", field: "action" }, msg: "Dropped a malformed packet" }]);
    expect(refused).toHaveLength(5);
    expect(refused[0]).toEqual({ cmd: "REQ", reason: "bad 'action'" });
  });

  it("drops a well-formed packet of another protocol version", () => {
    const { reader, lines } = intake();
    expect(reader.read("DISCOVER", json({ ver: "3", sender: "a" }))).toBeNull();
    expect(lines[0]).toMatchObject({ obj: { cmd: "DISCOVER", sender: "a", ver: "3" } });
  });

  it("protocol 5: takes v5 packets with their headers, drops v4 ones with one rate-limited line", () => {
    const { reader, lines } = intake("5");
    const req = { ver: "5", sender: "a", id: "r", action: "x.y", headers: { h: 1 } };
    expect(reader.read("REQ", json(req))).toEqual({ cmd: "REQ", payload: req });
    for (let i = 0; i < 5; i++) expect(reader.read("REQ", json({ ...req, ver: "4" }))).toBeNull();
    expect(lines).toEqual([{ obj: { cmd: "REQ", sender: "a", ver: "4" }, msg: "Dropped a packet of another protocol version" }]);
  });

  it("protocol 4: drops v5 packets", () => {
    const { reader, lines } = intake("4");
    expect(reader.read("EVENT", json({ ver: "5", sender: "a", event: "e", headers: {} }))).toBeNull();
    expect(lines[0]).toMatchObject({ obj: { cmd: "EVENT", ver: "5" } });
  });
});
