import { injectable, ServiceBroker } from "nucleon";
import { MathService } from "./math.service";

/**
 * A controller outside any service (say, an HTTP handler or a job): it gets
 * the broker by constructor injection from `broker.container`.
 */
@injectable()
export class ReportController {
  constructor(private readonly broker: ServiceBroker) {}

  async summary(): Promise<{ users: number; sum: number }> {
    const [users, sum] = await Promise.all([
      this.broker.call<number>("users.count"),
      // Typed call: params and result come from MathService.add's signature.
      this.broker.call(MathService, "add", { a: 40, b: 2 }),
    ]);
    return { users, sum };
  }
}
