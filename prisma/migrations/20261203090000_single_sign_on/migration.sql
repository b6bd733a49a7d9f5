-- Single sign-on: a tenant's OpenID Connect identity provider (its client secret sealed with
-- AES-256-GCM) and the email domains whose people sign in through it, each owned by one tenant.

-- CreateTable
CREATE TABLE "TenantSso" (
    "tenantId" TEXT NOT NULL PRIMARY KEY,
    "issuer" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "clientSecret" TEXT NOT NULL,
    "groupsClaim" TEXT NOT NULL DEFAULT 'groups',
    "developerGroups" TEXT NOT NULL DEFAULT '[]',
    "adminGroups" TEXT NOT NULL DEFAULT '[]',
    "required" BOOLEAN NOT NULL DEFAULT false,
    "breakGlassUserId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "TenantSso_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SsoDomain" (
    "domain" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    CONSTRAINT "SsoDomain_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SsoDomain_tenantId_idx" ON "SsoDomain"("tenantId");
