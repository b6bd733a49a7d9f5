import type { ApiKeyView } from "./dto";
import type { ApiKeyStatus } from "./schemas";
import type { statusWhere } from "./status";

/** The administration's key search, as the domain asks it of either engine. */
export type KeySortField = "created" | "name" | "owner" | "expires" | "lastUsed" | "status";
export type SortDirection = "asc" | "desc";

/**
 * Names, owner names and emails match a term inside them from this many characters on (one
 * trigram, the unit of both engines' substring indexes); a shorter term matches them from the start.
 */
export const MIN_SUBSTRING_LENGTH = 3;

/** Key IDs are 24 lowercase hex characters: a hex term up to that long may be the start of one. */
const KEY_ID_PREFIX = /^[0-9a-f]{1,24}$/;
const HEX_DIGITS = "0123456789abcdef";

/** What a term matches, as the search rules read it; the engines only turn this into SQL. */
export interface KeySearchMatch {
  /** The term, trimmed and lowercased: every text comparison ignores case. */
  text: string;
  /**
   * "substring": key names, owner names and emails containing the text; "prefix": owner names and
   * emails starting with it (key names are not searched below MIN_SUBSTRING_LENGTH).
   */
  mode: "substring" | "prefix";
  /** Key IDs starting with the text: `from <= id < to` (no upper end past "fff…"). */
  idRange: { from: string; to: string | null } | null;
}

/**
 * The smallest hex string above every ID that starts with `prefix`: its last digit that is not "f"
 * counted up, the rest dropped. Both ends stay hex, so any collation orders the range alike.
 */
export function hexSuccessor(prefix: string): string | null {
  const last = [...prefix].findLastIndex((digit) => digit !== "f");
  if (last < 0) return null;
  return prefix.slice(0, last) + HEX_DIGITS[HEX_DIGITS.indexOf(prefix[last]) + 1];
}

/** The search rules applied to a term: undefined when it asks for nothing (blank). */
export function keySearchMatch(term: string | undefined): KeySearchMatch | undefined {
  const text = term?.trim().toLowerCase() ?? "";
  if (!text) return undefined;
  return {
    text,
    mode: text.length >= MIN_SUBSTRING_LENGTH ? "substring" : "prefix",
    idRange: KEY_ID_PREFIX.test(text) ? { from: text, to: hexSuccessor(text) } : null,
  };
}

/** Which keys have a status at the time of the search, in columns (the rule of ./status). */
export type KeyStatusWhere = ReturnType<typeof statusWhere>;

export interface KeyStatusFilter {
  status: ApiKeyStatus;
  where: KeyStatusWhere;
}

/** Where a page starts: after (or before) the row with this sort value and tie-breaker. */
export interface KeyCursor {
  value: string | null;
  /** The engine's tie-breaker of every order (SQLite: rowid; PostgreSQL: the key ID). */
  tie: number | string;
  /** Status tier of the row, for the status sort. */
  status?: ApiKeyStatus;
}

export interface KeySearchParams {
  tenantId: string;
  match?: KeySearchMatch;
  /** Only keys of this status. */
  status?: KeyStatusFilter;
  /**
   * The status sort's tiers in ascending order (newest first within each): the filtered status
   * alone when there is one.
   */
  statusTiers: KeyStatusFilter[];
  sort: KeySortField;
  direction: SortDirection;
  after?: KeyCursor;
  before?: KeyCursor;
  limit: number;
}

/** A matching key; times as ISO-8601 text, status left to the domain's rule. */
export type KeySearchRow = Omit<ApiKeyView, "status"> & { tie: number | string };

export interface KeySearchPage {
  rows: KeySearchRow[];
  hasNext: boolean;
  hasPrevious: boolean;
  /**
   * How many keys match: exact when not capped; when capped, at least `count` match (counting
   * stopped at the cap, or early, after enough rows to know that many).
   */
  total: { count: number; capped: boolean };
}
