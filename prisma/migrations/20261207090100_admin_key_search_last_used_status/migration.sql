-- The key search's last-use walk over the keys that were used, by last use, with the status
-- columns beside it, so that a status is tested without reading each key it passes (the keys never
-- used follow one another in row order, where reading them is cheap). Only used keys: among the
-- never used, who all share NULL, the index would order by status before the row ID.
CREATE INDEX "ApiKey_tenantId_lastUsedAt_status_idx" ON "ApiKey"("tenantId", "lastUsedAt", "revokedAt", "expiresAt")
    WHERE "lastUsedAt" IS NOT NULL;

-- Its statistics, so that SQLite weighs it as it does the others (see admin_key_search_statistics).
ANALYZE "ApiKey_tenantId_lastUsedAt_status_idx";
