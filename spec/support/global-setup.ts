import { BROKERS, BrokerName, brokerAvailable } from "./brokers";

/**
 * Probes the local message brokers once per run. Workers start after this,
 * so the env flags reach every suite (read by `describeWith`).
 */
export default async function globalSetup(): Promise<void> {
  for (const name of Object.keys(BROKERS) as BrokerName[]) {
    process.env[`NUCLEON_HAS_${name.toUpperCase()}`] = (await brokerAvailable(name)) ? "1" : "0";
  }
}
