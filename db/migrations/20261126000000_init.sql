-- migrate:up
-- Keyward's model on PostgreSQL, as Prisma would create it from prisma/schema.prisma (with every
-- DateTime as @db.Timestamptz(3)); lib/db/postgres/schema-drift.test.ts holds the two together.

-- CreateTable
CREATE TABLE "Tenant" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "apiKeysEnabled" BOOLEAN NOT NULL DEFAULT false,
    "maxApiKeyExpiry" TEXT NOT NULL DEFAULT 'P30D',
    "maxKeysPerUser" INTEGER NOT NULL DEFAULT 5,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "isTenantAdmin" BOOLEAN NOT NULL DEFAULT false,
    "isDeveloper" BOOLEAN NOT NULL DEFAULT false,
    "disabledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),
    "revokedById" TEXT,
    "lastUsedAt" TIMESTAMPTZ(3),
    "lastUsedIp" TEXT,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "eventType" TEXT NOT NULL,
    "eventTime" TIMESTAMPTZ(3) NOT NULL,
    "userId" TEXT,
    "apiKeyId" TEXT,
    "source" TEXT NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "data" TEXT NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKeyUsage" (
    "apiKeyId" TEXT NOT NULL,
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "tenantId" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "lastUsedAt" TIMESTAMPTZ(3) NOT NULL,
    "lastIp" TEXT,

    CONSTRAINT "ApiKeyUsage_pkey" PRIMARY KEY ("apiKeyId","bucketStart")
);

-- CreateTable
CREATE TABLE "Space" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'shared',
    "description" TEXT NOT NULL DEFAULT '',
    "ownerId" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Space_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Tenant_slug_key" ON "Tenant"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE INDEX "User_tenantId_name_idx" ON "User"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_digest_key" ON "ApiKey"("digest");

-- CreateIndex
CREATE INDEX "ApiKey_tenantId_createdAt_idx" ON "ApiKey"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "ApiKey_tenantId_description_idx" ON "ApiKey"("tenantId", "description");

-- CreateIndex
CREATE INDEX "ApiKey_tenantId_expiresAt_idx" ON "ApiKey"("tenantId", "expiresAt");

-- CreateIndex
CREATE INDEX "ApiKey_ownerId_revokedAt_expiresAt_idx" ON "ApiKey"("ownerId", "revokedAt", "expiresAt");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_eventTime_idx" ON "AuditEvent"("tenantId", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_eventType_eventTime_idx" ON "AuditEvent"("tenantId", "eventType", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_userId_eventTime_idx" ON "AuditEvent"("tenantId", "userId", "eventTime");

-- CreateIndex
CREATE INDEX "AuditEvent_tenantId_apiKeyId_eventTime_idx" ON "AuditEvent"("tenantId", "apiKeyId", "eventTime");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_tenantId_seq_key" ON "AuditEvent"("tenantId", "seq");

-- CreateIndex
CREATE INDEX "ApiKeyUsage_tenantId_bucketStart_idx" ON "ApiKeyUsage"("tenantId", "bucketStart");

-- CreateIndex
CREATE INDEX "Space_tenantId_createdAt_idx" ON "Space"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Space_tenantId_name_key" ON "Space"("tenantId", "name");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Space" ADD CONSTRAINT "Space_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Space" ADD CONSTRAINT "Space_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit log is append-only: the database itself refuses to change or remove an event.
CREATE FUNCTION "keyward_audit_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent"
    FOR EACH ROW EXECUTE FUNCTION "keyward_audit_append_only"();

CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent"
    FOR EACH ROW EXECUTE FUNCTION "keyward_audit_append_only"();

-- TRUNCATE fires no row triggers, so it needs a statement trigger of its own.
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
    FOR EACH STATEMENT EXECUTE FUNCTION "keyward_audit_append_only"();

-- Every Keyward instance LISTENs on keyward_credentials and drops its cached copy of the row, so a
-- revoked key, disabled user or changed tenant stops working everywhere at commit.
CREATE FUNCTION "keyward_credentials_changed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('keyward_credentials', json_build_object('table', TG_TABLE_NAME, 'id', OLD.id)::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER "Tenant_credentials_changed" AFTER UPDATE OR DELETE ON "Tenant"
    FOR EACH ROW EXECUTE FUNCTION "keyward_credentials_changed"();

CREATE TRIGGER "User_credentials_changed" AFTER UPDATE OR DELETE ON "User"
    FOR EACH ROW EXECUTE FUNCTION "keyward_credentials_changed"();

CREATE TRIGGER "ApiKey_credentials_deleted" AFTER DELETE ON "ApiKey"
    FOR EACH ROW EXECUTE FUNCTION "keyward_credentials_changed"();

-- The usage flush only moves lastUsedAt/lastUsedIp forward; signalling it would empty every
-- instance's cache of busy keys on each flush.
CREATE TRIGGER "ApiKey_credentials_changed" AFTER UPDATE ON "ApiKey"
    FOR EACH ROW
    WHEN ((to_jsonb(OLD) - 'lastUsedAt' - 'lastUsedIp') IS DISTINCT FROM (to_jsonb(NEW) - 'lastUsedAt' - 'lastUsedIp'))
    EXECUTE FUNCTION "keyward_credentials_changed"();

-- migrate:down
DROP TABLE "Space";
DROP TABLE "ApiKeyUsage";
DROP TABLE "AuditEvent";
DROP TABLE "ApiKey";
DROP TABLE "User";
DROP TABLE "Tenant";
DROP FUNCTION "keyward_credentials_changed"();
DROP FUNCTION "keyward_audit_append_only"();
