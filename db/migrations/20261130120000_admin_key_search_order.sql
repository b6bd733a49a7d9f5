-- migrate:up
-- Keyset pages of the administration's key search (lib/db/postgres/api-key-search.ts), whose
-- tie-breaker on PostgreSQL is the key ID. Each order's index ends in the ID, and the search finds
-- a page's IDs from the index alone (an index-only scan) before it reads those keys, so that the
-- keys a filter passes over are never read.

-- Newest first, with status and owner along for the filters on them.
CREATE INDEX "ApiKey_tenantId_createdAt_id_idx" ON "ApiKey" ("tenantId", "createdAt", "id")
    INCLUDE ("revokedAt", "expiresAt", "ownerId");

-- By name: a name filter is tested on the index's own copy of each name.
CREATE INDEX "ApiKey_tenantId_description_id_idx" ON "ApiKey" ("tenantId", "description", "id");

-- "Last used" sorts never-used keys first ascending and last descending, as SQLite does; the
-- index must hold that NULL order (PostgreSQL's default puts NULL last ascending).
CREATE INDEX "ApiKey_tenantId_lastUsedAt_id_idx" ON "ApiKey" ("tenantId", "lastUsedAt" NULLS FIRST, "id");

-- By owner: each owner's keys of a status, with their IDs (the owner index of the first migration,
-- "ApiKey_ownerId_revokedAt_expiresAt_idx", plus the ID).
CREATE INDEX "ApiKey_ownerId_revokedAt_expiresAt_id_idx" ON "ApiKey" ("ownerId", "revokedAt", "expiresAt", "id");

-- migrate:down
DROP INDEX "ApiKey_ownerId_revokedAt_expiresAt_id_idx";
DROP INDEX "ApiKey_tenantId_lastUsedAt_id_idx";
DROP INDEX "ApiKey_tenantId_description_id_idx";
DROP INDEX "ApiKey_tenantId_createdAt_id_idx";
