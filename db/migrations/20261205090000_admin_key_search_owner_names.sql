-- migrate:up transaction:false
-- The owner order of the administration's key search walks each owner's keys through the owner
-- index. With the names beside it, a walk tests a name from the index alone, as the name order
-- does, instead of drawing every key with that name from the trigram index first (for a name a
-- tenth of the keys have, most of the search's time). Built CONCURRENTLY, one statement to a file
-- (see 20261204090000_admin_key_search_name_status.sql); the index it replaces goes only after.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "ApiKey_ownerId_revokedAt_expiresAt_id_name_idx"
    ON "ApiKey" ("ownerId", "revokedAt", "expiresAt", "id") INCLUDE ("description");

-- migrate:down
DROP INDEX IF EXISTS "ApiKey_ownerId_revokedAt_expiresAt_id_name_idx";
