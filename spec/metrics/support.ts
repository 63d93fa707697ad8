import type { ServiceBroker } from "../../lib";

/** The value of one sample in the Prometheus text (`name{a="1",b="2"}`), labels in any order; undefined when absent. */
export async function sample(broker: ServiceBroker, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  return sampleIn(await broker.metrics!.text(), name, labels);
}

export function sampleIn(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = /^([^{ ]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] === undefined ? [] : m[2].split(/,(?=[a-zA-Z_]+=")/);
    if (wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}
