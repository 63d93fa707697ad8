export { Transit } from "./transit";
export type { PongResult } from "./transit";
export type { TransitOptions } from "./options";
export * from "./packets";
export type { OutgoingPacket, PublishFunction, ReceiveFunction, SendFunction, SendMeta } from "./transit-hooks";
