import { matchGlob } from "../../lib/utils/wildcard";
import { escapeRedisMatch, toRedisMatch } from "../../lib/cachers/redis-match";

describe("toRedisMatch", () => {
  it("widens our globs to Redis syntax", () => {
    expect(toRedisMatch("users.*")).toBe("users.*");
    expect(toRedisMatch("users.**")).toBe("users.*");
    expect(toRedisMatch("**")).toBe("*");
    expect(toRedisMatch("user?.1")).toBe("user?.1");
  });

  it("escapes Redis-only syntax in literal parts", () => {
    expect(toRedisMatch("a[1]\\b.*")).toBe("a\\[1\\]\\\\b.*");
    expect(escapeRedisMatch("MOL-*?[]")).toBe("MOL-\\*\\?\\[\\]");
  });

  it("is broader than matchGlob, which filters the scan results", () => {
    // Redis `*` crosses dots; ours does not.
    expect(matchGlob("users.1.profile", "users.*")).toBe(false);
    expect(matchGlob("users.1.profile", "users.**")).toBe(true);
  });
});
