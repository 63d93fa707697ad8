import { killAll } from "../../integration/support/node-process";
import { TempProject, waitOutput } from "../support/project";

const GREETER = `
import { Action, Service } from "nucleon";
@Service({ name: "greeter" })
export class GreeterService {
  @Action({ params: false })
  hello(p: { name?: string }): string {
    return "Hello " + (p.name ?? "you");
  }
}
`;

let project: TempProject;
beforeEach(() => (project = new TempProject("repl")));
afterEach(() => project.remove());
afterAll(() => killAll());

describe("nucleon bin --repl", () => {
  it("opens the real REPL on the started broker; `exit` stops the broker and the runner exits 0", async () => {
    project.write("services/greeter.service.ts", GREETER);
    // HOME in the project: the REPL history file lands there, not in the real home.
    const proc = project.run("runner", ["services", "--repl", "--silent"], { HOME: project.path(".") }, "pipe");
    const stdin = proc.child.stdin!;
    stdin.write("actions\n");
    await waitOutput(proc, () => proc.lines.some((l) => l.includes("greeter.hello")), 20_000, "the actions table");
    stdin.write("call greeter.hello --name Ann\n");
    await waitOutput(proc, () => proc.lines.some((l) => l.includes("Hello Ann")), 10_000, "the call's result");
    stdin.write("exit\n");
    await proc.waitExit(15_000);
    expect(proc.exitCode).toBe(0);
  });
});
