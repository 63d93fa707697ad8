import { IsOptional, IsString } from "class-validator";
import { Readable } from "node:stream";
import { Action, Context, Service } from "nucleon";
import { byteSource, collect, digest, failingSource } from "./stream-data";

export class SaveParams {
  @IsString() name!: string;
  @IsOptional() @IsString() note?: string;
}

export interface Saved {
  name: string;
  sha256: string;
  bytes: number;
  meta: Record<string, unknown>;
}

/** Stream actions every stream spec calls, locally and across nodes. */
@Service({ name: "files" })
export class FilesService {
  /** Set by the spec to watch handlers: each read stream is pushed here. */
  static seen: Readable[] = [];

  @Action()
  async save(p: SaveParams, ctx: Context): Promise<Saved> {
    if (ctx.stream === null) throw new Error("no ctx.stream");
    FilesService.seen.push(ctx.stream);
    const { sha256, bytes } = await digest(ctx.stream);
    return { name: p.name, sha256, bytes, meta: ctx.meta };
  }

  /** No params schema: a Moleculer 0.14 caller sends none with a stream. */
  @Action({ params: false })
  async saveRaw(p: unknown, ctx: Context): Promise<{ sha256: string; bytes: number; params: unknown }> {
    if (ctx.stream === null) throw new Error("no ctx.stream");
    return { ...(await digest(ctx.stream)), params: p };
  }

  @Action({ params: false })
  async saveObjects(_p: unknown, ctx: Context): Promise<unknown[]> {
    if (ctx.stream === null) throw new Error("no ctx.stream");
    return collect(ctx.stream);
  }

  /** Reads `bytes` of the request stream, then throws. */
  @Action({ params: false })
  async failWhileReading(p: { after: number }, ctx: Context): Promise<never> {
    let read = 0;
    for await (const chunk of ctx.stream as Readable) {
      read += (chunk as Buffer).length;
      if (read >= p.after) throw new Error(`handler gave up after ${read} bytes`);
    }
    throw new Error("the stream ended first");
  }

  /** Reads slowly: `delay` ms per chunk. */
  @Action({ params: false })
  async slowSave(p: { delay: number }, ctx: Context): Promise<{ sha256: string; bytes: number }> {
    const stream = ctx.stream as Readable;
    const slowed = new Readable({ read() {} });
    void (async () => {
      for await (const chunk of stream) {
        await new Promise((r) => setTimeout(r, p.delay));
        slowed.push(chunk);
      }
      slowed.push(null);
    })().catch((err: unknown) => slowed.destroy(err as Error));
    return digest(slowed);
  }

  @Action({ params: false })
  download(p: { size: number }): Readable {
    return byteSource(p.size);
  }

  @Action({ params: false })
  async downloadObjects(p: { count: number }): Promise<Readable> {
    const items = Array.from({ length: p.count }, (_, i) => ({ i, text: `item ${i}` }));
    return Readable.from(items);
  }

  @Action({ params: false })
  downloadFailing(p: { before: number }): Readable {
    return failingSource(p.before, "source broke");
  }
}
