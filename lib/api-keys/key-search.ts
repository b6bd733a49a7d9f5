import type { ApiKeyView } from "./dto";
import type { ApiKeyStatus } from "./schemas";

/** The administration's key search, as the domain asks it of either engine. */
export type KeySortField = "created" | "name" | "owner" | "expires" | "lastUsed" | "status";
export type SortDirection = "asc" | "desc";

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
  term?: string;
  status?: ApiKeyStatus;
  sort: KeySortField;
  direction: SortDirection;
  after?: KeyCursor;
  before?: KeyCursor;
  limit: number;
  now: Date;
}

/** A matching key; times as ISO-8601 text, status left to the domain's rule. */
export type KeySearchRow = Omit<ApiKeyView, "status"> & { tie: number | string };

export interface KeySearchPage {
  rows: KeySearchRow[];
  hasNext: boolean;
  hasPrevious: boolean;
  total: { count: number; capped: boolean };
}
