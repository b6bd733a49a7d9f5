-- migrate:up
-- Administration at a million keys: case-insensitive substring search over key descriptions and
-- owners through pg_trgm GIN indexes on lower(...) (SQLite uses FTS5 trigram tables for the same),
-- and the index for "last used".
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "ApiKey_tenantId_lastUsedAt_idx" ON "ApiKey"("tenantId", "lastUsedAt");

-- Searches must filter on lower(column) LIKE '%' || lower(term) || '%' to use these indexes.
CREATE INDEX "ApiKey_description_trgm_idx" ON "ApiKey" USING gin (lower("description") gin_trgm_ops);
CREATE INDEX "User_name_trgm_idx" ON "User" USING gin (lower("name") gin_trgm_ops);
CREATE INDEX "User_email_trgm_idx" ON "User" USING gin (lower("email") gin_trgm_ops);

-- migrate:down
DROP INDEX "User_email_trgm_idx";
DROP INDEX "User_name_trgm_idx";
DROP INDEX "ApiKey_description_trgm_idx";
DROP INDEX "ApiKey_tenantId_lastUsedAt_idx";
-- pg_trgm stays: other objects in the database may use it, and keeping it is harmless.
