import { BrokerOptions, ServiceBroker } from "nucleon";
import { GreeterService } from "./greeter.service";
import { MathService } from "./math.service";
import { NotificationsService } from "./notifications.service";
import { UsersService } from "./users.service";

/** Builds the sample app's broker with all its services registered. */
export function createApp(options: BrokerOptions = {}): ServiceBroker {
  const broker = new ServiceBroker({ nodeID: "sample-node", ...options });
  broker.register(MathService, GreeterService, UsersService, NotificationsService);
  return broker;
}
