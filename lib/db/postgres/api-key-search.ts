import "server-only";
import type { KeySearchPage, KeySearchParams } from "@/lib/api-keys/key-search";

export async function searchApiKeyRows(
  _params: KeySearchParams,
  _countCap: number,
): Promise<KeySearchPage> {
  throw new Error("The administration key search on PostgreSQL is not built yet.");
}
