import { IsOptional, IsString, MaxLength } from "class-validator";
import type { Logger } from "pino";
import { Action, Context, inject, Service, SERVICE_LOGGER } from "nucleon";

export class HelloParams {
  @IsOptional()
  @IsString()
  @MaxLength(40)
  name?: string;
}

@Service()
export class GreeterService {
  // Each service gets a child logger bound to its nodeID and name.
  constructor(@inject(SERVICE_LOGGER) private readonly logger: Logger) {}

  @Action({ rest: "GET /hello" })
  hello(params: HelloParams, ctx: Context): string {
    this.logger.debug({ requestID: ctx.requestID }, "hello called");
    return `Hello, ${params.name ?? "stranger"}!`;
  }
}
