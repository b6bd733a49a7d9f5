export type ClassValue = string | number | false | null | undefined | ClassValue[];

/** Joins class names, skipping falsy values and flattening arrays. */
export function cn(...classes: ClassValue[]): string {
  const out: string[] = [];
  for (const c of classes) {
    if (!c) continue;
    if (Array.isArray(c)) {
      const nested = cn(...c);
      if (nested) out.push(nested);
    } else {
      out.push(String(c));
    }
  }
  return out.join(" ");
}

/** Shared focus ring used by every interactive primitive. */
export const focusRing =
  "outline-none focus-visible:ring-2 focus-visible:ring-slate-900 focus-visible:ring-offset-2 focus-visible:ring-offset-white";
