import { Readable } from "node:stream";
import { Type } from "class-transformer";
import { ArrayMaxSize, IsArray, IsEnum, IsInt, IsNumber, IsOptional, IsString, Min, MinLength, ValidateNested } from "class-validator";
import { Action, Context, Service } from "../../../lib";

/** Services the gateway specs call over HTTP; each records what reached it. */
export const calls: string[] = [];

export class AddParams {
  @IsNumber() a!: number;
  @IsNumber() b!: number;
}

export class IdParams {
  @IsInt() @Min(1) id!: number;
  @IsOptional() @IsString() fields?: string;
}

export enum Role {
  Admin = "admin",
  User = "user",
}

export class Address {
  @IsString() city!: string;
}

export class CreateUser {
  @IsString() @MinLength(2) name!: string;
  @IsEnum(Role) role!: Role;
  @IsOptional() @IsArray() @IsString({ each: true }) @ArrayMaxSize(5) tags?: string[];
  @IsOptional() @ValidateNested() @Type(() => Address) address?: Address;
}

export class User {
  @IsInt() id!: number;
  @IsString() name!: string;
  @IsEnum(Role) role!: Role;
}

@Service({ name: "math" })
export class MathService {
  @Action({ rest: "GET /add", summary: "Adds two numbers", responses: { 200: { description: "the sum", schema: { type: "number" } } } })
  add(params: AddParams): number {
    calls.push("math.add");
    return params.a + params.b;
  }
}

@Service({ name: "users" })
export class UsersService {
  @Action({ rest: "GET /:id", responses: { 200: User } })
  get(params: IdParams): User & { fields?: string } {
    calls.push("users.get");
    return { id: params.id, name: `user-${params.id}`, role: Role.User, ...(params.fields ? { fields: params.fields } : {}) };
  }

  @Action({ rest: "POST /", responses: { 201: User } })
  create(params: CreateUser, ctx: Context): User & { tags?: string[]; city?: string } {
    calls.push("users.create");
    ctx.meta.$statusCode = 201;
    ctx.meta.$location = "/api/users/7";
    return { id: 7, name: params.name, role: params.role, tags: params.tags, city: params.address?.city };
  }

  @Action({ params: false })
  me(_params: unknown, ctx: Context): unknown {
    calls.push("users.me");
    return { user: ctx.meta.user, requestID: ctx.requestID };
  }

  @Action({ visibility: "protected", params: false })
  secret(): string {
    calls.push("users.secret");
    return "secret";
  }

  @Action({ visibility: "public", params: false })
  internalOnly(): string {
    calls.push("users.internalOnly");
    return "public, not published";
  }
}

@Service({ name: "posts" })
export class PostsService {
  @Action({ params: false }) list(): string[] {
    calls.push("posts.list");
    return ["p1"];
  }
  @Action({ params: false }) get(p: { id: string }): unknown {
    calls.push("posts.get");
    return { id: p.id };
  }
  @Action({ params: false }) create(p: unknown): unknown {
    calls.push("posts.create");
    return { created: p };
  }
  @Action({ params: false }) remove(p: { id: string }): unknown {
    calls.push("posts.remove");
    return { removed: p.id };
  }
}

@Service({ name: "misc" })
export class MiscService {
  /** Answers with what the handler set in meta. */
  @Action({ params: false })
  shaped(_p: unknown, ctx: Context): string {
    ctx.meta.$statusCode = 202;
    ctx.meta.$statusMessage = "Taken";
    ctx.meta.$responseType = "text/plain; charset=utf-8";
    ctx.meta.$responseHeaders = { "x-custom": "yes" };
    return "shaped text";
  }

  @Action({ params: false })
  redirect(_p: unknown, ctx: Context): null {
    ctx.meta.$location = "/elsewhere";
    return null;
  }

  @Action({ params: false })
  stream(p: { n?: string }): Readable {
    const n = Number(p.n ?? 3);
    return Readable.from((function* () {
      for (let i = 0; i < n; i++) yield Buffer.from(`chunk${i};`);
    })());
  }

  @Action({ params: false })
  fail(p: { code?: string }): never {
    const err = new Error("teapot broke") as Error & { code: number; type: string };
    err.code = Number(p.code ?? 500);
    err.type = "TEAPOT";
    throw err;
  }

  @Action({ params: false, timeout: 50 })
  async slow(p: { ms?: string }): Promise<string> {
    await new Promise((r) => setTimeout(r, Number(p.ms ?? 200)));
    return "slow done";
  }

  /** No timeout of its own: graceful-stop specs hold a request open with it. */
  @Action({ params: false })
  async pause(p: { ms?: string }): Promise<string> {
    calls.push("misc.pause");
    await new Promise((r) => setTimeout(r, Number(p.ms ?? 200)));
    return "paused";
  }

  @Action({ params: false })
  echo(p: unknown, ctx: Context): unknown {
    return { params: p, requestID: ctx.requestID, meta: ctx.meta };
  }
}
