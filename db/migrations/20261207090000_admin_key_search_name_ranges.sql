-- migrate:up
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
    CONSTRAINT "ApiKeyNameTrigram_pkey" PRIMARY KEY ("tenantId", "trigram"),
    CONSTRAINT "ApiKeyNameTrigram_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant" ("id")
        ON DELETE CASCADE ON UPDATE CASCADE
);

-- Widens the ranges of each piece of a key's name to hold the name and its owner's name, where they
-- do not hold them yet. Rows are written in the pieces' order, so that two writers lock them in the
-- same order; a key whose pieces' ranges hold it already locks nothing.
CREATE FUNCTION "keyward_key_name_trigrams"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner_name TEXT := coalesce((SELECT "name" FROM "User" WHERE "id" = NEW."ownerId"), '');
BEGIN
    INSERT INTO "ApiKeyNameTrigram" AS t
        ("tenantId", "trigram", "minDescription", "maxDescription", "minOwnerName", "maxOwnerName")
    SELECT NEW."tenantId", p."trigram", NEW."description", NEW."description", owner_name, owner_name
    FROM (SELECT DISTINCT substr(lower(NEW."description"), n, 3) AS "trigram"
          FROM generate_series(1, length(NEW."description") - 2) AS n) p
    WHERE NOT EXISTS (
        SELECT 1 FROM "ApiKeyNameTrigram" r
        WHERE r."tenantId" = NEW."tenantId" AND r."trigram" = p."trigram"
            AND r."minDescription" <= NEW."description" AND r."maxDescription" >= NEW."description"
            AND r."minOwnerName" <= owner_name AND r."maxOwnerName" >= owner_name)
    ORDER BY p."trigram"
    ON CONFLICT ("tenantId", "trigram") DO UPDATE SET
        "minDescription" = LEAST(t."minDescription", EXCLUDED."minDescription"),
        "maxDescription" = GREATEST(t."maxDescription", EXCLUDED."maxDescription"),
        "minOwnerName" = LEAST(t."minOwnerName", EXCLUDED."minOwnerName"),
        "maxOwnerName" = GREATEST(t."maxOwnerName", EXCLUDED."maxOwnerName");
    RETURN NULL;
END $$;

CREATE TRIGGER "ApiKey_name_trigrams_after_insert" AFTER INSERT ON "ApiKey"
    FOR EACH ROW EXECUTE FUNCTION "keyward_key_name_trigrams"();

CREATE TRIGGER "ApiKey_name_trigrams_after_update" AFTER UPDATE OF "description", "ownerId" ON "ApiKey"
    FOR EACH ROW
    WHEN (OLD."description" IS DISTINCT FROM NEW."description" OR OLD."ownerId" IS DISTINCT FROM NEW."ownerId")
    EXECUTE FUNCTION "keyward_key_name_trigrams"();

-- A renamed user's keys now lie at the new name in owner order.
CREATE FUNCTION "keyward_owner_name_trigrams"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "ApiKeyNameTrigram" AS t
        ("tenantId", "trigram", "minDescription", "maxDescription", "minOwnerName", "maxOwnerName")
    SELECT k."tenantId", p."trigram", min(k."description"), max(k."description"), NEW."name", NEW."name"
    FROM "ApiKey" k CROSS JOIN LATERAL (
        SELECT DISTINCT substr(lower(k."description"), n, 3) AS "trigram"
        FROM generate_series(1, length(k."description") - 2) AS n) p
    WHERE k."ownerId" = NEW."id"
    GROUP BY k."tenantId", p."trigram"
    ORDER BY k."tenantId", p."trigram"
    ON CONFLICT ("tenantId", "trigram") DO UPDATE SET
        "minOwnerName" = LEAST(t."minOwnerName", EXCLUDED."minOwnerName"),
        "maxOwnerName" = GREATEST(t."maxOwnerName", EXCLUDED."maxOwnerName");
    RETURN NULL;
END $$;

CREATE TRIGGER "User_name_trigrams_after_update" AFTER UPDATE OF "name" ON "User"
    FOR EACH ROW WHEN (OLD."name" IS DISTINCT FROM NEW."name")
    EXECUTE FUNCTION "keyward_owner_name_trigrams"();

-- The keys there are.
INSERT INTO "ApiKeyNameTrigram"
    ("tenantId", "trigram", "minDescription", "maxDescription", "minOwnerName", "maxOwnerName")
SELECT k."tenantId", substr(lower(k."description"), n, 3), min(k."description"),
    max(k."description"), min(u."name"), max(u."name")
FROM "ApiKey" k JOIN "User" u ON u."id" = k."ownerId"
    CROSS JOIN LATERAL generate_series(1, length(k."description") - 2) AS n
GROUP BY 1, 2;

-- migrate:down
DROP TRIGGER "User_name_trigrams_after_update" ON "User";
DROP TRIGGER "ApiKey_name_trigrams_after_update" ON "ApiKey";
DROP TRIGGER "ApiKey_name_trigrams_after_insert" ON "ApiKey";
DROP FUNCTION "keyward_owner_name_trigrams"();
DROP FUNCTION "keyward_key_name_trigrams"();
DROP TABLE "ApiKeyNameTrigram";
