import { Session } from "node:inspector";
import { Action, Service } from "../lib";

/** The service the profiling tools call. */
@Service({ name: "math" })
export class MathService {
  @Action({ params: false })
  add(p: { a: number; b: number }): number {
    return p.a + p.b;
  }
}

/** One inspector command, as a promise. */
export function post(session: Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
}
