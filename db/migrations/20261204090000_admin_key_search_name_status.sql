-- migrate:up transaction:false
-- The administration's key search walks the name, expiry and last-use orders with a status or an
-- owner filter too. These migrations give each of those orders an index that holds the status
-- columns and the owner beside the order, as the creation index does, so that a walk tests them
-- from the index alone instead of reading every key it passes (lib/db/postgres/key-search-plan.ts,
-- WALK_INDEX). Each is built CONCURRENTLY, one statement to a file (PostgreSQL refuses that in a
-- transaction), so that keys are checked and written while it builds; the indexes they replace go
-- only after.

-- By name.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "ApiKey_tenantId_description_id_status_idx"
    ON "ApiKey" ("tenantId", "description", "id") INCLUDE ("revokedAt", "expiresAt", "ownerId");

-- migrate:down
DROP INDEX IF EXISTS "ApiKey_tenantId_description_id_status_idx";
