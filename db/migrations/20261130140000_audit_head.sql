-- migrate:up
-- Each tenant's newest audit event, signed with the audit key and kept outside the log (see
-- prisma/schema.prisma, model AuditHead).

-- CreateTable
CREATE TABLE "AuditHead" (
    "tenantId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "signedAt" TIMESTAMPTZ(3) NOT NULL,
    "signature" TEXT NOT NULL,
    "legacyThrough" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AuditHead_pkey" PRIMARY KEY ("tenantId")
);

-- AddForeignKey
ALTER TABLE "AuditHead" ADD CONSTRAINT "AuditHead_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Logs written before the audit key existed were chained with plain SHA-256: their heads are
-- taken over unsigned, and the next event signs them.
INSERT INTO "AuditHead" ("tenantId", "seq", "hash", "signedAt", "signature", "legacyThrough")
SELECT DISTINCT ON ("tenantId") "tenantId", "seq", "hash", "eventTime", '', "seq"
FROM "AuditEvent" ORDER BY "tenantId", "seq" DESC;

-- migrate:down
DROP TABLE "AuditHead";
