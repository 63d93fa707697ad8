import { InvalidPacketDataError } from "../errors";
import type { PendingRequests } from "./pending-requests";
import type { RespondTo } from "./serve-request";
import type { PacketCommand } from "../transporters/packet-command";

/**
 * A packet the intake refused still gets what its sender needs so no call
 * hangs: a REQ an error RES, a RES from the node it was for the rejection
 * of its pending request.
 */
export function answerRefused(cmd: PacketCommand, payload: unknown, reason: string, respond: RespondTo, pending: PendingRequests): void {
  if (typeof payload !== "object" || payload === null) return;
  const { id, sender, action } = payload as { id?: unknown; sender?: unknown; action?: unknown };
  if (typeof id !== "string" || typeof sender !== "string" || sender === "") return;
  const error = new InvalidPacketDataError({ type: cmd, reason });
  if (cmd === "REQ" || cmd === "REQB") {
    respond.fail({ id, sender, action: typeof action === "string" ? action : "" }, {}, error);
  } else if (cmd === "RES") {
    pending.takeAnswer(id, sender)?.reject(error);
  }
}
