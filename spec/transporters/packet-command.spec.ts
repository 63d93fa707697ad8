import { commandFromTopic } from "../../lib/transporters/base";
import { PACKET_COMMANDS, isPacketCommand } from "../../lib/transporters/packet-command";

describe("packet commands", () => {
  it("are protocol v4's, in one list the topic parser uses", () => {
    expect([...PACKET_COMMANDS].sort()).toEqual(["DISCONNECT", "DISCOVER", "EVENT", "EVENTB", "HEARTBEAT", "INFO", "PING", "PONG", "REQ", "REQB", "RES"]);
    for (const cmd of PACKET_COMMANDS) {
      expect(isPacketCommand(cmd)).toBe(true);
      expect(commandFromTopic("MOL", `MOL.${cmd}.node-1`)).toBe(cmd);
    }
    for (const other of ["GOSSIP_REQ", "req", "", "REQ.x"]) expect(isPacketCommand(other)).toBe(false);
    expect(commandFromTopic("MOL", "MOL.GOSSIP_REQ")).toBeUndefined();
  });
});
