import pino from "pino";
import type { PacketCommand, Transporter, TransporterHandlers } from "../../lib/transporters";

export const silentLogger = pino({ level: "silent" });

export interface Received {
  cmd: PacketCommand;
  data: Buffer;
}

/** TransporterHandlers that record everything, for assertions. */
export class Recorder implements TransporterHandlers {
  readonly messages: Received[] = [];
  readonly connects: boolean[] = [];
  disconnects = 0;

  onMessage(cmd: PacketCommand, data: Buffer): void {
    this.messages.push({ cmd, data });
  }

  async onConnect(wasReconnect: boolean): Promise<void> {
    this.connects.push(wasReconnect);
  }

  onDisconnect(): void {
    this.disconnects++;
  }

  texts(): string[] {
    return this.messages.map((m) => m.data.toString());
  }
}

/** Polls `condition` until true; fails after `timeoutMs` with `what` in the message. */
export async function until(condition: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** init() + connect() with a fresh recorder. */
export async function start(transporter: Transporter, prefix: string, nodeID: string): Promise<Recorder> {
  const recorder = new Recorder();
  transporter.init({ prefix, nodeID, logger: silentLogger, handlers: recorder });
  await transporter.connect();
  return recorder;
}
