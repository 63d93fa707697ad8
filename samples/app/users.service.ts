import { IsEmail, IsInt, IsString, Length, Min } from "class-validator";
import { Action, Context, NucleonClientError, Service } from "nucleon";
import { User, UsersRepository } from "./users.repository";

export class CreateUserParams {
  @IsString()
  @Length(2, 40)
  name!: string;

  @IsEmail()
  email!: string;
}

export class GetUserParams {
  @IsInt()
  @Min(1)
  id!: number;
}

@Service()
export class UsersService {
  constructor(private readonly repo: UsersRepository) {}

  @Action({ rest: "POST /" })
  async create(params: CreateUserParams, ctx: Context): Promise<User> {
    const user = await this.repo.create(params.name, params.email);
    await ctx.emit("user.created", user);
    return user;
  }

  @Action({ rest: "GET /:id" })
  async get(params: GetUserParams): Promise<User> {
    const user = await this.repo.findById(params.id);
    if (!user) throw new NucleonClientError(`User ${params.id} not found`, 404, "USER_NOT_FOUND", { id: params.id });
    return user;
  }

  @Action()
  count(): Promise<number> {
    return this.repo.count();
  }
}
