import { z } from "zod";

/**
 * Characters that make a name read as something it is not: C0 and C1 controls (NUL, escape,
 * line breaks…) and the bidirectional marks, embeddings, overrides and isolates
 * (`abc\u202Egnp.exe` shows as "abcexe.png").
 */
const CONTROL_OR_BIDI = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** The same, less the tab and line breaks that a longer text may hold. */
const CONTROL_OR_BIDI_BUT_LINES = /[^\P{Cc}\t\n\r]|[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** Whether `value` is valid Unicode: no UTF-16 surrogate without its pair (`"\ud800"` in JSON). */
export function isUnicodeText(value: string): boolean {
  return value.isWellFormed();
}

interface Visit {
  value: unknown;
  key?: string | number;
  parent?: Visit;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) path.push(at.key!);
  return path.reverse();
}

/**
 * Where `value` (parsed JSON, or what a schema made of it) holds text that is not valid Unicode, as
 * the path of keys to it (`[]` for `value` itself); null when it holds none. Iterative, since
 * JSON.parse builds arrays nested deeper than a recursive walk could follow.
 */
export function malformedTextPath(value: unknown): (string | number)[] | null {
  const pending: Visit[] = [{ value }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const current = visit.value;
    if (typeof current === "string") {
      if (!isUnicodeText(current)) return pathOf(visit);
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        pending.push({ value: current[i], key: i, parent: visit });
      }
    } else if (current !== null && typeof current === "object") {
      for (const [key, child] of Object.entries(current).reverse()) {
        if (!isUnicodeText(key)) return [...pathOf(visit), key];
        pending.push({ value: child, key, parent: visit });
      }
    }
  }
  return null;
}

export function hasControlOrBidiCharacters(value: string, { lines = false } = {}): boolean {
  return (lines ? CONTROL_OR_BIDI_BUT_LINES : CONTROL_OR_BIDI).test(value);
}

/**
 * Text that people read as a name or description, the one rule for keys, spaces and users:
 * valid Unicode, trimmed, in NFC (so that "é" typed two ways is one name), at most `max`
 * characters, and without control or bidirectional formatting characters (`lines` allows tabs and
 * line breaks in a longer text). `label` starts each message, as the field is called.
 */
export function displayText(
  label: string,
  { max, required = false, lines = false }: { max: number; required?: boolean; lines?: boolean },
) {
  const text = z
    .string({ error: required ? `${label} is required.` : `${label} must be text.` })
    // First and alone: nothing else is worth saying about text that is not text.
    .refine(isUnicodeText, { error: `${label} must be valid Unicode text.`, abort: true })
    .trim()
    .normalize("NFC");
  return (required ? text.min(1, `${label} is required.`) : text)
    .max(max, `${label} can be at most ${max} characters.`)
    .refine(
      (value) => !hasControlOrBidiCharacters(value, { lines }),
      `${label} cannot contain control or bidirectional formatting characters.`,
    );
}
