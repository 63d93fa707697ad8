import { matchEventName } from "../../lib/utils/wildcard";

describe("matchEventName", () => {
  it.each([
    ["user.created", "user.created", true],
    ["user.created", "user.*", true],
    ["user.created.now", "user.*", false],
    ["user.created.now", "user.**", true],
    ["user.created", "**", true],
    ["user.created", "user.?reated", true],
    ["user.created", "order.*", false],
    ["a.b", "a.b.c", false],
    ["$node.connected", "$node.*", true],
    ["user+x", "user+x", true],
    ["userAx", "user.x", false],
  ])("%s ~ %s → %s", (name, pattern, expected) => {
    expect(matchEventName(name, pattern)).toBe(expected);
  });
});
