import type { ServiceDescriptor } from "../service/descriptor";
import type { PacketCommand, Transporter } from "../transporters/transporter";

/** What a node subscribes to: each command, broadcast (false) or targeted at it (true). */
export const SUBSCRIPTIONS: ReadonlyArray<readonly [PacketCommand, boolean]> = [
  ["EVENT", true],
  ["REQ", true],
  ["RES", true],
  ["DISCOVER", false],
  ["DISCOVER", true],
  ["INFO", false],
  ["INFO", true],
  ["HEARTBEAT", false],
  ["DISCONNECT", false],
  ["PING", false],
  ["PING", true],
  ["PONG", true],
];

/** Packets a node also handles when it sent them itself (its own calls through the transport). */
export const OWN_PACKETS_HANDLED = new Set<PacketCommand>(["REQ", "RES", "EVENT"]);

/** Re-makes the REQB/EVENTB queue subscriptions (`disableBalancer`) for these local services; none while leaving. */
export async function subscribeBalanced(t: Transporter, services: ServiceDescriptor[]): Promise<void> {
  await t.unsubscribeFromBalancedCommands();
  for (const s of services) {
    for (const a of s.actions) if (a.visibility !== "private" && a.visibility !== "protected") await t.subscribeBalancedRequest(a.name);
    for (const e of s.events) await t.subscribeBalancedEvent(e.name, e.group);
  }
}
