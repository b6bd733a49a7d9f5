-- migrate:up transaction:false
-- By expiry (see 20261204090000_admin_key_search_name_status.sql).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "ApiKey_tenantId_expiresAt_id_status_idx"
    ON "ApiKey" ("tenantId", "expiresAt", "id") INCLUDE ("revokedAt", "ownerId");

-- migrate:down
DROP INDEX IF EXISTS "ApiKey_tenantId_expiresAt_id_status_idx";
