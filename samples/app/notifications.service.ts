import type { Logger } from "pino";
import { Event, inject, Service, SERVICE_LOGGER } from "nucleon";
import type { User } from "./users.repository";

/** Two handlers in different groups: an `emit` reaches one handler of each group. */
@Service()
export class NotificationsService {
  readonly sent: string[] = [];

  constructor(@inject(SERVICE_LOGGER) private readonly logger: Logger) {}

  @Event("user.created", { group: "mailer" })
  welcome(user: User): void {
    this.sent.push(`welcome mail to ${user.email}`);
    this.logger.info({ user: user.id }, "welcome mail queued");
  }

  @Event("user.*", { group: "audit" })
  audit(user: User): void {
    this.sent.push(`audit: user ${user.id}`);
  }
}
