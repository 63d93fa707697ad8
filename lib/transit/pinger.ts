import type { PongPacket } from "./packets";

/** Result of `broker.ping()`. */
export interface PongResult {
  nodeID: string;
  elapsedTime: number;
  timeDiff: number;
}

/** PING/PONG bookkeeping: waiting pings by id, and the round trip / clock offset of a PONG. */
export class Pinger {
  private readonly waiting = new Map<string, (pong: PongResult) => void>();

  constructor(
    private readonly send: (nodeID: string, payload: { time: number; id: string }) => Promise<void>,
    private readonly newId: () => string,
  ) {}

  /** Round trip to one node, `null` on timeout or a failed send. */
  ping(nodeID: string, timeout: number): Promise<PongResult | null> {
    const id = this.newId();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(null);
      }, timeout);
      this.waiting.set(id, (pong) => {
        clearTimeout(timer);
        resolve(pong);
      });
      this.send(nodeID, { time: Date.now(), id }).catch(() => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(null);
      });
    });
  }

  /** Settles the matching ping; returns the result for the `$node.pong` event. */
  pong(p: PongPacket): PongResult {
    const now = Date.now();
    const elapsedTime = now - p.time;
    const result = { nodeID: p.sender, elapsedTime, timeDiff: Math.round(now - p.arrived - elapsedTime / 2) };
    const waiter = this.waiting.get(p.id);
    if (waiter) {
      this.waiting.delete(p.id);
      waiter(result);
    }
    return result;
  }
}
