-- migrate:up transaction:false
-- By last use, never-used keys first ascending, as SQLite orders them (see
-- 20261204090000_admin_key_search_name_status.sql).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "ApiKey_tenantId_lastUsedAt_id_status_idx"
    ON "ApiKey" ("tenantId", "lastUsedAt" NULLS FIRST, "id") INCLUDE ("revokedAt", "expiresAt", "ownerId");

-- migrate:down
DROP INDEX IF EXISTS "ApiKey_tenantId_lastUsedAt_id_status_idx";
