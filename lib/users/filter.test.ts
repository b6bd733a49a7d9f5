import { describe, expect, it } from "vitest";
import { FilterSyntaxError, parseUserFilter } from "./filter";

describe("the users API's filter", () => {
  it("reads tests, and binds and tighter than or, parentheses first", () => {
    expect(parseUserFilter('name co "ada" or email eq "a@b.c" and status eq "active"')).toEqual({
      kind: "or",
      left: { kind: "test", attribute: "name", op: "co", value: "ada" },
      right: {
        kind: "and",
        left: { kind: "test", attribute: "email", op: "eq", value: "a@b.c" },
        right: { kind: "test", attribute: "status", op: "eq", value: "active" },
      },
    });
    expect(
      parseUserFilter('(NAME CO "a" OR id eq "1") AND assignedroles.name EQ "Developer"'),
    ).toEqual({
      kind: "and",
      left: {
        kind: "or",
        left: { kind: "test", attribute: "name", op: "co", value: "a" },
        right: { kind: "test", attribute: "id", op: "eq", value: "1" },
      },
      right: { kind: "test", attribute: "assignedRoles.name", op: "eq", value: "Developer" },
    });
  });

  it("keeps escaped quotes and backslashes in values", () => {
    expect(parseUserFilter('name eq "say \\"hi\\" \\\\ bye"')).toMatchObject({
      value: 'say "hi" \\ bye',
    });
  });

  it.each([
    "",
    "name",
    "name eq",
    'name eq "x',
    'nickname eq "x"',
    'name sw "x"',
    'status co "a"',
    'id co "1"',
    '(name eq "x"',
    'name eq "x")',
    'name eq "x" and',
    'name eq "x" nor email eq "y"',
    'name eq "\\n"',
    "name eq x",
    `${"(".repeat(40)}name eq "x"${")".repeat(40)}`,
    "x".repeat(2001),
  ])("refuses %j with a reason", (filter) => {
    expect(() => parseUserFilter(filter)).toThrow(FilterSyntaxError);
  });
});
