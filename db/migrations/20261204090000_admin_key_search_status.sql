-- migrate:up
-- The administration's key search walks the name, expiry and last-use orders with a status or an
-- owner filter too. Each of these indexes now holds the status columns and the owner beside the
-- order, as the creation index already does, so that a walk tests them from the index alone
-- instead of reading every key it passes (lib/db/postgres/key-search-plan.ts, WALK_INDEX).

DROP INDEX "ApiKey_tenantId_description_id_idx";
CREATE INDEX "ApiKey_tenantId_description_id_idx" ON "ApiKey" ("tenantId", "description", "id")
    INCLUDE ("revokedAt", "expiresAt", "ownerId");

DROP INDEX "ApiKey_tenantId_lastUsedAt_id_idx";
CREATE INDEX "ApiKey_tenantId_lastUsedAt_id_idx" ON "ApiKey" ("tenantId", "lastUsedAt" NULLS FIRST, "id")
    INCLUDE ("revokedAt", "expiresAt", "ownerId");

CREATE INDEX "ApiKey_tenantId_expiresAt_id_idx" ON "ApiKey" ("tenantId", "expiresAt", "id")
    INCLUDE ("revokedAt", "ownerId");

-- migrate:down
DROP INDEX "ApiKey_tenantId_expiresAt_id_idx";

DROP INDEX "ApiKey_tenantId_lastUsedAt_id_idx";
CREATE INDEX "ApiKey_tenantId_lastUsedAt_id_idx" ON "ApiKey" ("tenantId", "lastUsedAt" NULLS FIRST, "id");

DROP INDEX "ApiKey_tenantId_description_id_idx";
CREATE INDEX "ApiKey_tenantId_description_id_idx" ON "ApiKey" ("tenantId", "description", "id");
