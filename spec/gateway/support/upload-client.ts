import { Readable } from "node:stream";

/** A form field, or a file whose bytes come from `source` (made lazily, never whole in memory). */
export type Part = { name: string; value: string } | { name: string; filename: string; type: string; source: () => Readable };

/** A streamed request body and how many bytes the client has handed to fetch so far. */
export interface StreamBody {
  stream: () => ReadableStream<Uint8Array>;
  type: string;
  sent: () => number;
}

/** A multipart/form-data body generated part by part as fetch pulls it (chunked, no Content-Length). */
export function multipartBody(parts: Part[]): StreamBody {
  const boundary = `----nucleon-${Math.random().toString(16).slice(2)}`;
  let sent = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const part of parts) {
      const head =
        "filename" in part
          ? `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n`
          : `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}`;
      yield Buffer.from(head);
      if ("filename" in part) for await (const chunk of part.source()) yield chunk as Buffer;
      yield Buffer.from("\r\n");
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of chunks()) {
      sent += chunk.length;
      yield chunk;
    }
  }
  return { stream: () => Readable.toWeb(Readable.from(counted())) as ReadableStream<Uint8Array>, type: `multipart/form-data; boundary=${boundary}`, sent: () => sent };
}

/** POSTs a streamed body with fetch (undici): sent as it is generated. */
export function postStream(url: string, body: StreamBody, signal?: AbortSignal): Promise<Response> {
  return fetch(url, { method: "POST", body: body.stream(), headers: { "content-type": body.type }, duplex: "half", signal } as RequestInit);
}
