-- migrate:up transaction:false
-- Replaced by "ApiKey_ownerId_revokedAt_expiresAt_id_name_idx", which holds the same order.
DROP INDEX CONCURRENTLY IF EXISTS "ApiKey_ownerId_revokedAt_expiresAt_id_idx";

-- migrate:down
CREATE INDEX IF NOT EXISTS "ApiKey_ownerId_revokedAt_expiresAt_id_idx" ON "ApiKey" ("ownerId", "revokedAt", "expiresAt", "id");
