import { createHash } from "node:crypto";
import { ServiceBroker } from "nucleon";
import { JSONSerializer } from "../../../lib/serializers";
import { MemoryBus, MemoryTransporter } from "../../../lib/transporters/memory";
import { FilesService } from "../../support/stream-services";
import { waitUntil } from "../cluster";
import { streamsHeld } from "./stream-cluster";

const json = new JSONSerializer();

/**
 * A hand-written peer on the memory bus sends the `files` node request
 * streams packet by packet, in any order and with any garbage, and reads
 * the RES packets it gets back.
 */
describe("stream packets out of order, duplicated or hostile", () => {
  let bus: MemoryBus;
  let server: ServiceBroker;
  const answers = new Map<string, Record<string, unknown>>();
  const warnings: string[] = [];
  let n = 0;

  beforeAll(async () => {
    bus = new MemoryBus();
    server = new ServiceBroker({
      nodeID: "server",
      logger: { level: "warn", hooks: { logMethod: (args) => void warnings.push(String(args.at(-1))) } },
      transporter: new MemoryTransporter({ bus }),
      transit: { discoverWait: 10, stopDelay: 10 },
    });
    server.register(FilesService);
    await server.start();
    bus.subscribe("MOL.RES.raw", (data) => {
      const res = json.deserialize(data) as Record<string, unknown>;
      answers.set(res.id as string, res);
    });
  });

  afterAll(() => server.stop());

  function packet(id: string, seq: number, fields: Record<string, unknown>): void {
    const base = { ver: "4", sender: "raw", id, action: "files.save", meta: {}, level: 1, requestID: id, timeout: 5000 };
    bus.publish("MOL.REQ.server", json.serialize(Object.assign(base, { seq }, fields)));
  }

  const open = (id: string) => packet(id, 0, { stream: true, params: { name: id } });
  const chunk = (id: string, seq: number, data: unknown) => packet(id, seq, { stream: true, params: data });
  const end = (id: string, seq: number) => packet(id, seq, { stream: false, params: null });
  const answer = async (id: string) => {
    await waitUntil(() => answers.has(id), 5000);
    return answers.get(id) as { success: boolean; data?: { sha256: string; bytes: number }; error?: { name: string; message: string } };
  };
  const sha = (...parts: string[]) => createHash("sha256").update(parts.join("")).digest("hex");
  const newId = () => `s${++n}`;

  it("puts chunks back in seq order", async () => {
    const id = newId();
    open(id);
    chunk(id, 3, Buffer.from("ccc"));
    chunk(id, 1, Buffer.from("a"));
    end(id, 4);
    chunk(id, 2, Buffer.from("bb"));
    expect((await answer(id)).data).toMatchObject({ sha256: sha("a", "bb", "ccc"), bytes: 6 });
  });

  it("drops duplicates, seq far ahead, a 2 GB gap and fractional seqs, and keeps the stream whole", async () => {
    const id = newId();
    open(id);
    chunk(id, 1, Buffer.from("x"));
    chunk(id, 1, Buffer.from("DUP"));
    chunk(id, 5000, Buffer.from("FAR"));
    chunk(id, 2 ** 31, Buffer.from("GAP"));
    chunk(id, 1.5, Buffer.from("HALF"));
    chunk(id, 2, Buffer.from("y"));
    end(id, 3);
    expect((await answer(id)).data).toMatchObject({ sha256: sha("x", "y"), bytes: 2 });
    expect(warnings.join("\n")).toMatch(/stream packet \(duplicate\)/);
    expect(warnings.join("\n")).toMatch(/stream packet \(too-far\)/);
  });

  it("drops chunks of unknown or finished streams", async () => {
    chunk("never-opened", 1, Buffer.from("?"));
    end("never-opened", 2);
    const id = newId();
    open(id);
    end(id, 1);
    await answer(id);
    chunk(id, 2, Buffer.from("late"));
    await waitUntil(() => Object.values(streamsHeld(server)).every((v) => v === 0));
    expect(answers.has("never-opened")).toBe(false);
  });

  it("fails the stream on a chunk that is no Buffer in a Buffer stream", async () => {
    const id = newId();
    open(id);
    chunk(id, 1, "a string");
    end(id, 2);
    const res = await answer(id);
    expect(res.success).toBe(false);
    expect(res.error).toMatchObject({ name: "InvalidPacketDataError" });
  });

  it("fails the stream on a JSON Buffer whose bytes are not bytes", async () => {
    const id = newId();
    open(id);
    chunk(id, 1, { type: "Buffer", data: [1, 2, 300] });
    const res = await answer(id);
    expect(res.error).toMatchObject({ name: "InvalidPacketDataError" });
  });

  it("still serves afterwards and holds nothing", async () => {
    const id = newId();
    open(id);
    chunk(id, 1, { type: "Buffer", data: [104, 105] });
    end(id, 2);
    expect((await answer(id)).data).toMatchObject({ sha256: sha("hi"), bytes: 2 });
    await waitUntil(() => Object.values(streamsHeld(server)).every((v) => v === 0));
  });
});
