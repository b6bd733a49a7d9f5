-- migrate:up transaction:false
-- Replaced by "ApiKey_tenantId_lastUsedAt_id_status_idx", which holds the same order.
DROP INDEX CONCURRENTLY IF EXISTS "ApiKey_tenantId_lastUsedAt_id_idx";

-- migrate:down
CREATE INDEX IF NOT EXISTS "ApiKey_tenantId_lastUsedAt_id_idx" ON "ApiKey" ("tenantId", "lastUsedAt" NULLS FIRST, "id");
