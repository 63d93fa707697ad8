import { cpus } from "node:os";

/** Whole-machine CPU % between two calls (what Moleculer puts in HEARTBEAT). */
export class CpuUsage {
  private last = CpuUsage.sample();

  private static sample(): { idle: number; total: number } {
    let idle = 0;
    let total = 0;
    for (const cpu of cpus()) {
      const t = cpu.times;
      idle += t.idle;
      total += t.user + t.nice + t.sys + t.idle + t.irq;
    }
    return { idle, total };
  }

  measure(): number {
    const now = CpuUsage.sample();
    const total = now.total - this.last.total;
    const idle = now.idle - this.last.idle;
    this.last = now;
    return total > 0 ? Math.max(0, Math.min(100, Math.round(100 - (idle / total) * 100))) : 0;
  }
}
