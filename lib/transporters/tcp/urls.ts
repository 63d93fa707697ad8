import { readFileSync } from "node:fs";
import { BrokerOptionsError } from "../../errors";
import type { TcpTransporterOptions } from "./options";

/** A static peer: where node `nodeID` listens. */
export interface PeerAddress {
  nodeID: string;
  host: string;
  port: number;
}

/**
 * `urls` in any of Moleculer's four forms → peer addresses. `file://path`
 * holds JSON (array or object) or one `host:port/nodeID` per line. An
 * entry without a nodeID or port is refused with a typed error: a typo
 * here would otherwise leave a node silently alone.
 */
export function parseUrls(urls: TcpTransporterOptions["urls"]): PeerAddress[] {
  if (urls === null || urls === undefined) return [];
  let list: string[];
  if (typeof urls === "string") {
    const text = urls.trim();
    if (/^file:\/\//i.test(text)) return parseUrls(readUrlsFile(text.slice("file://".length)));
    list = text.split(",");
  } else if (Array.isArray(urls)) list = urls;
  else if (typeof urls === "object") list = Object.entries(urls).map(([nodeID, address]) => `${address}/${nodeID}`);
  else throw new BrokerOptionsError("TCP transporter 'urls' must be a string, an array or an object.", { urls });
  const out: PeerAddress[] = [];
  for (const raw of list) {
    if (typeof raw !== "string") throw new BrokerOptionsError("TCP transporter 'urls' entries must be strings.", { entry: raw });
    const entry = raw.trim().replace(/^tcp:\/\//i, "");
    if (entry === "") continue;
    out.push(parseEntry(entry));
  }
  return out;
}

function parseEntry(entry: string): PeerAddress {
  const slash = entry.indexOf("/");
  const nodeID = slash < 0 ? "" : entry.slice(slash + 1);
  if (nodeID === "" || nodeID.includes("/")) {
    throw new BrokerOptionsError(`TCP transporter URL '${entry}' needs one nodeID: host:port/nodeID.`, { url: entry });
  }
  const address = entry.slice(0, slash);
  const colon = address.lastIndexOf(":");
  const port = Number(address.slice(colon + 1));
  // IPv6 addresses keep their colons; brackets are optional.
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new BrokerOptionsError(`TCP transporter URL '${entry}' needs a host and port: host:port/nodeID.`, { url: entry });
  }
  return { nodeID, host, port };
}

function readUrlsFile(path: string): TcpTransporterOptions["urls"] {
  let content: string;
  try {
    content = readFileSync(path, "utf8").trim();
  } catch (err) {
    throw new BrokerOptionsError(`TCP transporter could not read the urls file '${path}': ${(err as Error).message}`, { path });
  }
  if (content.startsWith("{") || content.startsWith("[")) {
    try {
      return JSON.parse(content) as TcpTransporterOptions["urls"];
    } catch (err) {
      throw new BrokerOptionsError(`TCP transporter urls file '${path}' is not valid JSON: ${(err as Error).message}`, { path });
    }
  }
  return content.split("\n").filter((line) => line.trim() !== "");
}
