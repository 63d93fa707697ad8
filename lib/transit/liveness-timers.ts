/**
 * The two periodic jobs of a connected node: sending its heartbeat and
 * checking peers' heartbeats. Unref'd, so they never keep a process alive.
 */
export class LivenessTimers {
  private heartbeat: NodeJS.Timeout | null = null;
  private check: NodeJS.Timeout | null = null;

  /** `beatMs` between heartbeats; peers are checked as often, or every `timeoutMs` if that is shorter. */
  start(beatMs: number, timeoutMs: number, beat: () => void, check: () => void): void {
    this.stop();
    this.heartbeat = setInterval(beat, beatMs);
    this.heartbeat.unref();
    this.check = setInterval(check, Math.min(beatMs, timeoutMs));
    this.check.unref();
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.check) clearInterval(this.check);
    this.heartbeat = this.check = null;
  }
}
