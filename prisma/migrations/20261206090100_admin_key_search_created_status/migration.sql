-- The administration's key search walks the creation order (newest first, and within each status
-- for the status sort) testing each key's status, owner and ID prefix. With them beside the
-- creation time, a walk tests them from this index alone and reads only the keys that pass, instead
-- of every key it passes (an expired key's search passes the month of keys too new to expire).
CREATE INDEX "ApiKey_tenantId_createdAt_status_idx"
    ON "ApiKey"("tenantId", "createdAt", "revokedAt", "expiresAt", "ownerId", "id");
