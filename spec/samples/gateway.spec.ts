import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = join(__dirname, "..", "..");

/** `npm start`: the sample app prints its /docs URL and two curl lines that work, and stops cleanly on SIGTERM. */
describe("sample app's gateway (npm start)", () => {
  it("serves what it prints", async () => {
    const child = spawn(process.execPath, ["-r", "@swc-node/register", "samples/app/main.ts"], { cwd: ROOT, env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const t0 = Date.now();
      while (!out.includes("Ctrl+C") && Date.now() - t0 < 30_000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain("Ctrl+C stops it.");

      const docs = /API docs: (http:\/\/127\.0\.0\.1:\d+\/docs)/.exec(out)![1];
      const page = await fetch(docs);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("swagger-ui");

      const curls = out.split("\n").filter((l) => l.trim().startsWith("curl ")).map((l) => l.trim());
      expect(curls).toHaveLength(2);
      const answers = [];
      for (const line of curls) answers.push((await run("sh", ["-c", `${line} -s --max-time 10`])).stdout);
      expect(answers[0]).toBe("3");
      expect(JSON.parse(answers[1])).toEqual({ id: 2, name: "Grace", email: "grace@example.com" });
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(out).toContain("stopped cleanly");
    expect(out).not.toContain('"level":50'); // no error logged on the way down
  }, 60_000);
});
