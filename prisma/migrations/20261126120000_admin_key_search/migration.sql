-- Administration at a million keys: substring search over key names and owners through FTS5
-- trigram indexes (external content, kept in sync by triggers) and an index for "last used".

CREATE INDEX "ApiKey_tenantId_lastUsedAt_idx" ON "ApiKey"("tenantId", "lastUsedAt");

CREATE VIRTUAL TABLE "ApiKeyDescriptionSearch" USING fts5(
    description,
    content = 'ApiKey',
    tokenize = 'trigram'
);

CREATE TRIGGER "ApiKey_search_after_insert" AFTER INSERT ON "ApiKey" BEGIN
    INSERT INTO "ApiKeyDescriptionSearch" (rowid, description) VALUES (new.rowid, new.description);
END;

CREATE TRIGGER "ApiKey_search_after_delete" AFTER DELETE ON "ApiKey" BEGIN
    INSERT INTO "ApiKeyDescriptionSearch" ("ApiKeyDescriptionSearch", rowid, description)
        VALUES ('delete', old.rowid, old.description);
END;

CREATE TRIGGER "ApiKey_search_after_update" AFTER UPDATE OF description ON "ApiKey" BEGIN
    INSERT INTO "ApiKeyDescriptionSearch" ("ApiKeyDescriptionSearch", rowid, description)
        VALUES ('delete', old.rowid, old.description);
    INSERT INTO "ApiKeyDescriptionSearch" (rowid, description) VALUES (new.rowid, new.description);
END;

CREATE VIRTUAL TABLE "UserSearch" USING fts5(
    name,
    email,
    content = 'User',
    tokenize = 'trigram'
);

CREATE TRIGGER "User_search_after_insert" AFTER INSERT ON "User" BEGIN
    INSERT INTO "UserSearch" (rowid, name, email) VALUES (new.rowid, new.name, new.email);
END;

CREATE TRIGGER "User_search_after_delete" AFTER DELETE ON "User" BEGIN
    INSERT INTO "UserSearch" ("UserSearch", rowid, name, email)
        VALUES ('delete', old.rowid, old.name, old.email);
END;

CREATE TRIGGER "User_search_after_update" AFTER UPDATE OF name, email ON "User" BEGIN
    INSERT INTO "UserSearch" ("UserSearch", rowid, name, email)
        VALUES ('delete', old.rowid, old.name, old.email);
    INSERT INTO "UserSearch" (rowid, name, email) VALUES (new.rowid, new.name, new.email);
END;

INSERT INTO "ApiKeyDescriptionSearch" ("ApiKeyDescriptionSearch") VALUES ('rebuild');
INSERT INTO "UserSearch" ("UserSearch") VALUES ('rebuild');
