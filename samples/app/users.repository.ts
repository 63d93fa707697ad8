import { injectable } from "nucleon";

export interface User {
  id: number;
  name: string;
  email: string;
}

/** The data layer the users service depends on: replaced by a mock in its unit test. */
@injectable()
export class UsersRepository {
  private readonly users = new Map<number, User>();
  private nextId = 1;

  async create(name: string, email: string): Promise<User> {
    const user = { id: this.nextId++, name, email };
    this.users.set(user.id, user);
    return user;
  }

  async findById(id: number): Promise<User | undefined> {
    return this.users.get(id);
  }

  async count(): Promise<number> {
    return this.users.size;
  }
}
