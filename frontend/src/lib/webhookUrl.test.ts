import { describe, expect, it } from "vitest";
import { webhookUrlProblem } from "./webhookUrl";

describe("webhookUrlProblem", () => {
  it.each(["", "   ", "https://hooks.example.com/scenelab", "http://192.0.2.7:8080/done?job=1", " https://example.com "])("accepts %j", (text) => {
    expect(webhookUrlProblem(text)).toBeUndefined();
  });

  it.each([
    ["example.com/hook", /whole URL/],
    ["/relative/path", /whole URL/],
    ["ftp://example.com/hook", /http:\/\/ or https:\/\//],
    ["javascript:alert(1)", /http:\/\/ or https:\/\//],
  ])("refuses %j", (text, message) => {
    expect(webhookUrlProblem(text)).toMatch(message);
  });
});
