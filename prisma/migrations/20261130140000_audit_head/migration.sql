-- CreateTable
CREATE TABLE "AuditHead" (
    "tenantId" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "signedAt" DATETIME NOT NULL,
    "signature" TEXT NOT NULL,
    "legacyThrough" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "AuditHead_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- Logs written before the audit key existed were chained with plain SHA-256: their heads are
-- taken over unsigned, and the next event signs them.
INSERT INTO "AuditHead" ("tenantId", "seq", "hash", "signedAt", "signature", "legacyThrough")
SELECT e."tenantId", e."seq", e."hash", e."eventTime", '', e."seq" FROM "AuditEvent" e
WHERE e."seq" = (SELECT max(m."seq") FROM "AuditEvent" m WHERE m."tenantId" = e."tenantId");

-- INSERT OR REPLACE deletes the row it replaces without firing delete triggers, and an upsert
-- turns an insert into an update: no event may take the place of another.
CREATE TRIGGER "AuditEvent_no_replace" BEFORE INSERT ON "AuditEvent"
WHEN EXISTS (
    SELECT 1 FROM "AuditEvent"
    WHERE "id" = NEW."id" OR ("tenantId" = NEW."tenantId" AND "seq" = NEW."seq")
)
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
