-- The administration's key search in name order, for a term that matches owners (and few or no
-- names): each matching owner's first keys in name order, of a status, come from this index alone,
-- instead of a walk of the whole name order past every other owner's keys.
CREATE INDEX "ApiKey_ownerId_description_status_idx"
    ON "ApiKey"("ownerId", "description", "revokedAt", "expiresAt");
