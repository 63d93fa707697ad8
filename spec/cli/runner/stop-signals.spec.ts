import { EventEmitter } from "node:events";
import { handleStopSignals } from "../../../lib/cli/runner/stop-signals";

function setup(stop: () => Promise<void>) {
  const target = new EventEmitter();
  const exits: number[] = [];
  const logs: string[] = [];
  let exited!: () => void;
  const exitedOnce = new Promise<void>((r) => (exited = r));
  const handle = handleStopSignals({
    stop,
    exit: (code) => {
      exits.push(code);
      exited();
    },
    log: (line) => logs.push(line),
    target,
  });
  return { target, exits, logs, handle, exitedOnce };
}

describe("handleStopSignals", () => {
  it.each(["SIGINT", "SIGTERM"])("%s stops gracefully, then exits 0", async (signal) => {
    const s = setup(() => Promise.resolve());
    s.target.emit(signal);
    await s.exitedOnce;
    expect(s.exits).toEqual([0]);
    expect(s.logs).toEqual([`${signal}: stopping gracefully (send it again to force)`]);
  });

  it("a second signal during the stop forces exit 1", async () => {
    let finish!: () => void;
    const s = setup(() => new Promise<void>((r) => (finish = r)));
    s.target.emit("SIGTERM");
    s.target.emit("SIGINT");
    expect(s.exits).toEqual([1]);
    expect(s.logs[1]).toBe("SIGINT again: forcing exit");
    finish();
    await new Promise((r) => setImmediate(r));
    expect(s.exits).toEqual([1, 0]); // the real process.exit(1) would not return; the fake shows the order
  });

  it("a stop that throws exits 1 with the reason", async () => {
    const s = setup(() => Promise.reject(new Error("disconnect failed")));
    s.handle.trigger("REPL closed");
    await s.exitedOnce;
    expect(s.exits).toEqual([1]);
    expect(s.logs).toEqual(["REPL closed: stopping gracefully (send it again to force)", "Stop failed: disconnect failed"]);
  });

  it("trigger() counts as the first signal, once; dispose() removes the listeners", async () => {
    const stop = jest.fn(() => Promise.resolve());
    const s = setup(stop);
    s.handle.trigger("Stop from the primary");
    s.handle.trigger("again");
    await s.exitedOnce;
    expect(stop).toHaveBeenCalledTimes(1);
    s.handle.dispose();
    expect(s.target.listenerCount("SIGINT") + s.target.listenerCount("SIGTERM")).toBe(0);
  });
});
