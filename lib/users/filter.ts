// The `filter` of Qlik's users API: SCIM-style expressions such as
// `email eq "ada@acme.test"`, `name co "lov" and (status eq "active" or assignedRoles.name eq
// "Developer")`. `and` binds tighter than `or`; attribute names and operators ignore case.

/** What a filter may test, and with which operators. */
const ATTRIBUTES = {
  id: ["eq"],
  email: ["eq", "co"],
  name: ["eq", "co"],
  status: ["eq"],
  "assignedroles.name": ["eq"],
} as const;

export type FilterAttribute = "id" | "email" | "name" | "status" | "assignedRoles.name";

export type UserFilter =
  | { kind: "test"; attribute: FilterAttribute; op: "eq" | "co"; value: string }
  | { kind: "and" | "or"; left: UserFilter; right: UserFilter };

/** A filter Keyward cannot read: the message says where and why, for a 400. */
export class FilterSyntaxError extends Error {}

const MAX_FILTER_LENGTH = 2000;
const MAX_DEPTH = 32;

type Token =
  | { type: "word"; text: string; at: number }
  | { type: "string"; text: string; at: number }
  | { type: "open" | "close"; at: number };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const char = filter[i];
    if (/\s/.test(char)) {
      i++;
    } else if (char === "(" || char === ")") {
      tokens.push({ type: char === "(" ? "open" : "close", at: i });
      i++;
    } else if (char === '"') {
      const start = i;
      let text = "";
      i++;
      for (;;) {
        if (i >= filter.length) {
          throw new FilterSyntaxError(
            `The string that starts at character ${start + 1} is not closed.`,
          );
        }
        const next = filter[i];
        if (next === "\\") {
          const escaped = filter[i + 1];
          if (escaped !== '"' && escaped !== "\\") {
            throw new FilterSyntaxError(
              `Only \\" and \\\\ may be escaped in a string (character ${i + 1}).`,
            );
          }
          text += escaped;
          i += 2;
        } else if (next === '"') {
          i++;
          break;
        } else {
          text += next;
          i++;
        }
      }
      tokens.push({ type: "string", text, at: start });
    } else {
      const start = i;
      while (i < filter.length && /[A-Za-z0-9_.-]/.test(filter[i])) i++;
      if (i === start) {
        throw new FilterSyntaxError(`Unexpected "${char}" at character ${start + 1}.`);
      }
      tokens.push({ type: "word", text: filter.slice(start, i), at: start });
    }
  }
  return tokens;
}

/** Parses a filter; a filter that is not one of the forms above throws FilterSyntaxError. */
export function parseUserFilter(filter: string): UserFilter {
  if (filter.length > MAX_FILTER_LENGTH) {
    throw new FilterSyntaxError(`A filter can be at most ${MAX_FILTER_LENGTH} characters.`);
  }
  const tokens = tokenize(filter);
  let position = 0;
  const peek = () => tokens[position];
  const where = (token: Token | undefined) =>
    token ? `at character ${token.at + 1}` : "at the end of the filter";
  const isWord = (token: Token | undefined, word: string) =>
    token?.type === "word" && token.text.toLowerCase() === word;

  function expression(depth: number): UserFilter {
    if (depth > MAX_DEPTH) throw new FilterSyntaxError("The filter nests too deeply.");
    let left = conjunction(depth);
    while (isWord(peek(), "or")) {
      position++;
      left = { kind: "or", left, right: conjunction(depth) };
    }
    return left;
  }

  function conjunction(depth: number): UserFilter {
    let left = term(depth);
    while (isWord(peek(), "and")) {
      position++;
      left = { kind: "and", left, right: term(depth) };
    }
    return left;
  }

  function term(depth: number): UserFilter {
    const token = peek();
    if (token?.type === "open") {
      position++;
      const inner = expression(depth + 1);
      if (peek()?.type !== "close") {
        throw new FilterSyntaxError(`A ")" is missing ${where(peek())}.`);
      }
      position++;
      return inner;
    }
    if (token?.type !== "word") {
      throw new FilterSyntaxError(`An attribute is expected ${where(token)}.`);
    }
    const key = token.text.toLowerCase() as keyof typeof ATTRIBUTES;
    if (!Object.hasOwn(ATTRIBUTES, key)) {
      throw new FilterSyntaxError(
        `"${token.text}" cannot be filtered on: use id, email, name, status or assignedRoles.name.`,
      );
    }
    position++;
    const operator = peek();
    const op = operator?.type === "word" ? operator.text.toLowerCase() : undefined;
    if (!op || !(ATTRIBUTES[key] as readonly string[]).includes(op)) {
      throw new FilterSyntaxError(
        `${token.text} takes ${ATTRIBUTES[key].join(" or ")} ${where(operator)}.`,
      );
    }
    position++;
    const value = peek();
    if (value?.type !== "string") {
      throw new FilterSyntaxError(`A quoted value is expected ${where(value)}.`);
    }
    position++;
    const attribute: FilterAttribute = key === "assignedroles.name" ? "assignedRoles.name" : key;
    return { kind: "test", attribute, op: op as "eq" | "co", value: value.text };
  }

  const parsed = expression(0);
  if (position < tokens.length) {
    throw new FilterSyntaxError(`Unexpected text ${where(tokens[position])}.`);
  }
  return parsed;
}
