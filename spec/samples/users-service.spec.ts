import { ValidationError } from "nucleon";
import { createTestBroker } from "nucleon/testing";
import { UsersRepository } from "../../samples/app/users.repository";
import { UsersService } from "../../samples/app/users.service";

/** How a user unit-tests a service whose repository is a jest mock. */
describe("UsersService (sample) with a mocked repository", () => {
  const repo = { create: jest.fn(), findById: jest.fn(), count: jest.fn() };

  beforeEach(() => jest.resetAllMocks());

  it("creates a user through the repository and emits user.created", async () => {
    repo.create.mockResolvedValue({ id: 1, name: "Ada", email: "ada@example.com" });
    const broker = await createTestBroker({ services: [UsersService], providers: [{ token: UsersRepository, useValue: repo }] });
    const emitted = jest.spyOn(broker, "emit");
    await expect(broker.call("users.create", { name: "Ada", email: "ada@example.com" })).resolves.toEqual({
      id: 1,
      name: "Ada",
      email: "ada@example.com",
    });
    expect(repo.create).toHaveBeenCalledWith("Ada", "ada@example.com");
    expect(emitted).toHaveBeenCalledWith("user.created", expect.objectContaining({ id: 1 }), expect.anything());
    await broker.stop();
  });

  it("rejects an invalid email before touching the repository", async () => {
    const broker = await createTestBroker({ services: [UsersService], providers: [{ token: UsersRepository, useValue: repo }] });
    const err = await broker.call("users.create", { name: "Ada", email: "nope" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).data[0].field).toBe("email");
    expect(repo.create).not.toHaveBeenCalled();
    await broker.stop();
  });

  it("can be unit-tested without a broker at all", async () => {
    repo.findById.mockResolvedValue({ id: 2, name: "Bob", email: "b@x.io" });
    const service = new UsersService(repo as unknown as UsersRepository);
    await expect(service.get({ id: 2 })).resolves.toMatchObject({ name: "Bob" });
  });
});
