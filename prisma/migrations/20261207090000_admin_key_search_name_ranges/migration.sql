-- Where the keys whose names hold a three-character piece lie, per tenant: from the first name to
-- the last in name order, and from the first owner's name to the last in owner order. The key
-- search (lib/db/key-search-sql.ts, termRange) walks only the stretch of its order where every
-- piece of a term lies, instead of passing every key before it (a team's keys named after one
-- system lie together, anywhere in the order). The triggers only ever widen a range: a renamed or
-- deleted key leaves it wider than it need be, which costs a longer walk, never a missed key.
CREATE TABLE "ApiKeyNameTrigram" (
    "tenantId" TEXT NOT NULL,
    "trigram" TEXT NOT NULL,
    "minDescription" TEXT NOT NULL,
    "maxDescription" TEXT NOT NULL,
    "minOwnerName" TEXT NOT NULL,
    "maxOwnerName" TEXT NOT NULL,

    PRIMARY KEY ("tenantId", "trigram"),
    CONSTRAINT "ApiKeyNameTrigram_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- The positions of a name's pieces (names hold at most 256 characters): SQLite's triggers cannot
-- count with a recursive WITH.
CREATE TABLE "ApiKeyNamePosition" ("n" INTEGER NOT NULL PRIMARY KEY);
WITH RECURSIVE "p"("n") AS (SELECT 1 UNION ALL SELECT "n" + 1 FROM "p" WHERE "n" < 1022)
INSERT INTO "ApiKeyNamePosition" SELECT "n" FROM "p";

-- lower() folds ASCII letters only, as LIKE does: the search uses the ranges for ASCII terms only.
CREATE TRIGGER "ApiKey_name_trigrams_after_insert" AFTER INSERT ON "ApiKey" BEGIN
    INSERT INTO "ApiKeyNameTrigram"
        ("tenantId", "trigram", "minDescription", "maxDescription", "minOwnerName", "maxOwnerName")
    SELECT new."tenantId", substr(lower(new."description"), p."n", 3), new."description",
        new."description", o."name", o."name"
    FROM "ApiKeyNamePosition" p,
        (SELECT coalesce((SELECT "name" FROM "User" WHERE "id" = new."ownerId"), '') AS "name") o
    WHERE p."n" <= length(new."description") - 2
    ON CONFLICT ("tenantId", "trigram") DO UPDATE SET
        "minDescription" = min("minDescription", excluded."minDescription"),
        "maxDescription" = max("maxDescription", excluded."maxDescription"),
        "minOwnerName" = min("minOwnerName", excluded."minOwnerName"),
        "maxOwnerName" = max("maxOwnerName", excluded."maxOwnerName");
END;

CREATE TRIGGER "ApiKey_name_trigrams_after_update" AFTER UPDATE OF "description", "ownerId" ON "ApiKey" BEGIN
    INSERT INTO "ApiKeyNameTrigram"
        ("tenantId", "trigram", "minDescription", "maxDescription", "minOwnerName", "maxOwnerName")
    SELECT new."tenantId", substr(lower(new."description"), p."n", 3), new."description",
        new."description", o."name", o."name"
    FROM "ApiKeyNamePosition" p,
        (SELECT coalesce((SELECT "name" FROM "User" WHERE "id" = new."ownerId"), '') AS "name") o
    WHERE p."n" <= length(new."description") - 2
    ON CONFLICT ("tenantId", "trigram") DO UPDATE SET
        "minDescription" = min("minDescription", excluded."minDescription"),
        "maxDescription" = max("maxDescription", excluded."maxDescription"),
        "minOwnerName" = min("minOwnerName", excluded."minOwnerName"),
        "maxOwnerName" = max("maxOwnerName", excluded."maxOwnerName");
END;

-- A renamed user's keys now lie at the new name in owner order.
CREATE TRIGGER "User_name_trigrams_after_update" AFTER UPDATE OF "name" ON "User" BEGIN
    INSERT INTO "ApiKeyNameTrigram"
        ("tenantId", "trigram", "minDescription", "maxDescription", "minOwnerName", "maxOwnerName")
    SELECT k."tenantId", substr(lower(k."description"), p."n", 3), k."description",
        k."description", new."name", new."name"
    FROM "ApiKey" k JOIN "ApiKeyNamePosition" p ON p."n" <= length(k."description") - 2
    WHERE k."ownerId" = new."id"
    ON CONFLICT ("tenantId", "trigram") DO UPDATE SET
        "minOwnerName" = min("minOwnerName", excluded."minOwnerName"),
        "maxOwnerName" = max("maxOwnerName", excluded."maxOwnerName");
END;

-- The keys there are.
INSERT INTO "ApiKeyNameTrigram"
    ("tenantId", "trigram", "minDescription", "maxDescription", "minOwnerName", "maxOwnerName")
SELECT k."tenantId", substr(lower(k."description"), p."n", 3), min(k."description"),
    max(k."description"), min(u."name"), max(u."name")
FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId"
    JOIN "ApiKeyNamePosition" p ON p."n" <= length(k."description") - 2
GROUP BY 1, 2;
