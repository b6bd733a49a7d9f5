import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Invalid } from "@/lib/errors";
import { descriptionSchema } from "@/lib/api-keys/schemas";
import { createSpaceSchema, spaceNameSchema } from "@/lib/spaces/schemas";
import { parseInput } from "./parse";

const CONTROL_MESSAGE = "cannot contain control or bidirectional formatting characters.";

function refusal(schema: Parameters<typeof parseInput>[0], input: unknown): string {
  try {
    parseInput(schema, input);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe("names and descriptions people read", () => {
  const names = [
    ["Description", descriptionSchema],
    ["name", spaceNameSchema],
  ] as const;

  it.each(names)("%s: a lone surrogate is refused as invalid Unicode", (label, schema) => {
    for (const text of ["x\ud800y", "\udc00", "abc\ud83d"]) {
      expect(refusal(schema, text)).toBe(`${label} must be valid Unicode text.`);
    }
    // A surrogate pair is an ordinary character.
    expect(parseInput(schema, "key \ud83d\udd11")).toBe("key 🔑");
  });

  it.each(names)("%s: control and bidi formatting characters are refused", (label, schema) => {
    for (const text of [
      "abc\u202egnp.exe",
      "nul\u0000byte",
      "bell\u0007",
      "esc\u001b[31m",
      "line\nbreak",
      "tab\there",
      "del\u007f",
      "c1\u0085",
      "isolate\u2066x\u2069",
      "mark\u200f",
      "arabic mark\u061c",
    ]) {
      expect(refusal(schema, text)).toBe(`${label} ${CONTROL_MESSAGE}`);
    }
  });

  it.each(names)("%s: stored in NFC, trimmed; other scripts and emoji are fine", (_, schema) => {
    expect(parseInput(schema, "  Cafe\u0301  ")).toBe("Caf\u00e9");
    expect(parseInput(schema, "Ключ für 東京 👩‍💻")).toBe("Ключ für 東京 👩‍💻");
    // A zero-width joiner is part of emoji and scripts, not a formatting trick.
    expect(parseInput(schema, "a\u200db")).toBe("a\u200db");
  });

  it("the length is the normalised text's", () => {
    expect(parseInput(descriptionSchema, "e\u0301".repeat(256))).toBe("\u00e9".repeat(256));
  });

  it("a space's description may hold line breaks and tabs, but no other controls", () => {
    const parse = (description: string) =>
      parseInput(createSpaceSchema, { name: "S", description });
    expect(parse("first line\r\n\tsecond line").description).toBe("first line\r\n\tsecond line");
    expect(refusal(createSpaceSchema, { name: "S", description: "x\u202ey" })).toBe(
      `description ${CONTROL_MESSAGE}`,
    );
    expect(refusal(createSpaceSchema, { name: "S", description: "x\u0000y" })).toBe(
      `description ${CONTROL_MESSAGE}`,
    );
    expect(refusal(createSpaceSchema, { name: "S", description: "x\udfffy" })).toBe(
      "description must be valid Unicode text.",
    );
  });
});

describe("parseInput and text that is not Unicode", () => {
  it("refuses a lone surrogate whatever the schema, naming the field", () => {
    expect(() => parseInput(z.string().max(64), "\ud800", "userId")).toThrow(
      new Invalid("userId must be valid Unicode text.", "userId"),
    );
    const nested = z.object({ tags: z.array(z.string()) });
    expect(() => parseInput(nested, { tags: ["ok", "x\udc00"] })).toThrow(
      new Invalid("tags.1 must be valid Unicode text.", "tags.1"),
    );
    expect(parseInput(nested, { tags: ["🔑"] })).toEqual({ tags: ["🔑"] });
  });

  it("keeps the schema's own message when the schema refuses first", () => {
    expect(() => parseInput(z.string().regex(/^[0-9a-f]{24}$/, "Bad ID."), "\ud800")).toThrow(
      "Bad ID.",
    );
  });
});
