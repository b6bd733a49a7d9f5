-- migrate:up
-- Sessions recorded on the server (SPEC §9): the session cookie names its row, every request checks
-- it, and signing out, "Sign out everywhere" or disabling the user ends it for good.

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "ip" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_userId_expiresAt_idx" ON "Session"("userId", "expiresAt");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Instances keep the sessions they read (lib/db/postgres/row-cache.ts) only while they hear of every
-- change: an ended session is refused at once everywhere. A new session needs no signal, since
-- unknown IDs are never kept.
CREATE TRIGGER "Session_credentials_changed" AFTER UPDATE OR DELETE ON "Session"
    FOR EACH ROW EXECUTE FUNCTION "keyward_credentials_changed"();

-- migrate:down
DROP TABLE "Session";
