import { describe, expect, it } from "vitest";
import { readJsonBody } from "./body";
import { HttpProblem } from "./errors";

function jsonRequest(body: string): Request {
  return new Request("http://localhost/api/v1/spaces", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

async function problem(body: string): Promise<HttpProblem> {
  const error = await readJsonBody(jsonRequest(body)).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof HttpProblem)) throw new Error(`${body} was not refused: ${String(error)}`);
  return error;
}

describe("readJsonBody", () => {
  it("refuses a lone surrogate anywhere in the JSON, naming where it is", async () => {
    const cases: [string, string][] = [
      ['{"description":"x\\ud800y"}', "/description"],
      ['[{"op":"replace","path":"/description","value":"\\udc00"}]', "/0/value"],
      ['{"a/b":{"c~d":["ok","\\ud83d"]}}', "/a~1b/c~0d/1"],
      ['{"\\ud800":1}', "/\ud800"],
    ];
    for (const [body, pointer] of cases) {
      const error = await problem(body);
      expect(error.status).toBe(400);
      expect(error.message).toBe(
        `The text at ${pointer} must be valid Unicode text: it holds a lone surrogate.`,
      );
      expect(error.source).toEqual({ pointer });
    }
    expect((await problem('"\\udfff"')).message).toBe(
      "The request body must be valid Unicode text: it holds a lone surrogate.",
    );
  });

  it("reads surrogate pairs, and JSON nested deeper than a recursive walk could follow", async () => {
    expect(await readJsonBody(jsonRequest('{"name":"\\ud83d\\udd11"}'))).toEqual({ name: "🔑" });
    const depth = 200_000;
    const deep = await readJsonBody(jsonRequest(`${"[".repeat(depth)}"x"${"]".repeat(depth)}`));
    expect(Array.isArray(deep)).toBe(true);
    const deepBad = `${"[".repeat(depth)}"\\ud800"${"]".repeat(depth)}`;
    expect((await problem(deepBad)).status).toBe(400);
  });
});
