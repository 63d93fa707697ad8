/* eslint-disable no-console -- a sample prints what it does */
import { IsOptional, IsString, MaxLength } from "class-validator";
import { Action, Context, Event, Service } from "nucleon";

export class HelloParams {
  @IsOptional()
  @IsString()
  @MaxLength(40)
  name?: string;
}

export interface Greeting {
  greeting: string;
  /** Which node answered: this is how the gateway sees the balancing. */
  servedBy: string;
}

export interface SignedUp {
  userId: number;
}

/** Runs on every greeter node; the gateway's calls are balanced across them. */
@Service({ name: "greeter" })
export class GreeterService {
  @Action()
  hello(params: HelloParams, ctx: Context): Greeting {
    return { greeting: `Hello, ${params.name ?? "stranger"}!`, servedBy: ctx.broker.nodeID };
  }

  /** Group "welcome": an `emit` reaches ONE greeter node, a `broadcast` reaches all of them. */
  @Event("user.signedUp", { group: "welcome" })
  welcome(user: SignedUp, ctx: Context): void {
    console.log(`welcome mail for user #${user.userId} (${ctx.eventType})`);
  }
}
