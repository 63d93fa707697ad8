import { IsNumber, Max, Min } from "class-validator";
import { Action, Cached, Context, Service } from "nucleon";

/** The DTO is the params schema: validated before `add` runs. */
export class AddParams {
  @IsNumber()
  @Min(-1e9)
  @Max(1e9)
  a!: number;

  @IsNumber()
  @Min(-1e9)
  @Max(1e9)
  b!: number;
}

@Service({ name: "math", version: 2 })
export class MathService {
  @Action({ rest: "GET /add" })
  @Cached({ keys: ["a", "b"], ttl: 30 })
  add(params: AddParams): number {
    return params.a + params.b;
  }

  /** Calls another action through its context: meta and request id propagate. */
  @Action()
  async double(params: AddParams, ctx: Context): Promise<number> {
    const sum = await ctx.call(MathService, "add", params); // typed: a number
    return sum * 2;
  }
}
