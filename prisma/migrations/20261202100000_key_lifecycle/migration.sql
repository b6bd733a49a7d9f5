-- Key lifecycle (SPEC §8): regenerated keys name the key they replace, tenants may revoke unused
-- keys, owners are told of expiry and revocation through an outbox, and the notify job holds a
-- lease so that one instance runs it at a time.

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN "revokeUnusedAfterDays" INTEGER;

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN "replacesId" TEXT;

-- CreateTable
CREATE TABLE "Notice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "apiKeyId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "mailState" TEXT NOT NULL DEFAULT 'pending',
    "mailedAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    CONSTRAINT "Notice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Notice_apiKeyId_fkey" FOREIGN KEY ("apiKeyId") REFERENCES "ApiKey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JobLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "leaseUntil" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ApiKey_replacesId_idx" ON "ApiKey"("replacesId");

-- CreateIndex
CREATE INDEX "Notice_userId_createdAt_idx" ON "Notice"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Notice_mailState_createdAt_idx" ON "Notice"("mailState", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notice_apiKeyId_kind_key" ON "Notice"("apiKeyId", "kind");
