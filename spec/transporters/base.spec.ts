import { balancedEventSubject, balancedEventTopic, commandFromTopic, topicName } from "../../lib/transporters/base";

describe("topic helpers", () => {
  it("names topics like Moleculer", () => {
    expect(topicName("MOL", "INFO")).toBe("MOL.INFO");
    expect(topicName("MOL-dev", "REQ", "node-1")).toBe("MOL-dev.REQ.node-1");
    expect(topicName("MOL", "REQ", null)).toBe("MOL.REQ");
    expect(balancedEventTopic("MOL", "users", "a.**.b")).toBe("MOL.EVENTB.users.a.**.b");
  });

  it("maps everything from the first ** to >", () => {
    expect(balancedEventSubject("MOL", "g", "a.**.b")).toBe("MOL.EVENTB.g.a.>");
    expect(balancedEventSubject("MOL", "g", "**")).toBe("MOL.EVENTB.g.>");
    expect(balancedEventSubject("MOL", "g", "a.*")).toBe("MOL.EVENTB.g.a.*");
  });

  it("reads the command back out of a topic", () => {
    expect(commandFromTopic("MOL-dev", "MOL-dev.INFO")).toBe("INFO");
    expect(commandFromTopic("MOL-dev", "MOL-dev.REQ.node.with.dots")).toBe("REQ");
    expect(commandFromTopic("MOL", "MOL-dev.INFO")).toBeUndefined();
    expect(commandFromTopic("MOL", "MOL.NOPE")).toBeUndefined();
    expect(commandFromTopic("MOL", "MOL.")).toBeUndefined();
    expect(commandFromTopic("MOL", "OTHER.INFO")).toBeUndefined();
  });
});
