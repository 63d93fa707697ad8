/* eslint-disable no-console -- a sample prints what it does */
import { Context, Event, Service } from "nucleon";
import type { SignedUp } from "./greeter.service";

/** Group "audit": whatever else listens, every `emit` is recorded exactly once. */
@Service({ name: "audit" })
export class AuditService {
  @Event("user.signedUp", { group: "audit" })
  record(user: SignedUp, ctx: Context): void {
    console.log(`audit: user #${user.userId} signed up (${ctx.eventType} from ${ctx.nodeID})`);
  }
}
