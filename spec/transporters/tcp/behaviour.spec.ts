import { TcpTransporter } from "../../../lib/transporters";
import { transporterBehaviour } from "../transporter-behaviour";

// Ports of this spec file only (jest workers run files in parallel).
const PORT_A = 27110;
const PORT_B = 27111;

describe("TcpTransporter", () => {
  describe("shared behaviour", () => {
    transporterBehaviour(
      () =>
        new TcpTransporter({
          host: "127.0.0.1",
          udpDiscovery: false,
          // The suite sends 1 MiB payloads; the default limit is 1 MiB per frame, header included.
          maxPacketSize: 2 * 1024 * 1024,
          urls: { "node-a": `127.0.0.1:${PORT_A}`, "node-b": `127.0.0.1:${PORT_B}` },
        }),
      { balanced: false, broadcasts: false },
    );
  });
});
