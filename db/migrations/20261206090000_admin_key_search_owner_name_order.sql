-- migrate:up transaction:false
-- The administration's key search in name order, for a term that matches owners (and few or no
-- names): each matching owner's first keys in name order, of a status, come from this index alone
-- (lib/db/postgres/api-key-search.ts, ownersFirstIds), instead of a walk of the whole name order
-- past every other owner's keys. Built CONCURRENTLY, one statement to a file (see
-- 20261204090000_admin_key_search_name_status.sql), so that keys are checked and written meanwhile.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "ApiKey_ownerId_description_id_status_idx"
    ON "ApiKey" ("ownerId", "description", "id") INCLUDE ("revokedAt", "expiresAt");

-- migrate:down
DROP INDEX IF EXISTS "ApiKey_ownerId_description_id_status_idx";
