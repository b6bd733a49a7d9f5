import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/scripts/migrate.mjs";

// A PostgreSQL server (not a database) that this test may create and drop databases on.
const serverUrl = process.env.KEYWARD_TEST_POSTGRES_URL;
const root = path.resolve(__dirname, "../../..");

// Tables that db/migrations owns beside Keyward's models.
const NON_MODEL_TABLES = new Set(["schema_migrations", "keyward_rate_limits"]);

// The admin search's indexes that Prisma cannot express (trigram, and keyset order ending in the
// key ID); anything else extra is drift.
const SEARCH_INDEXES: Record<string, string> = {
  ApiKey_description_trgm_idx:
    'CREATE INDEX "ApiKey_description_trgm_idx" ON public."ApiKey" USING gin (lower(description) gin_trgm_ops)',
  User_name_trgm_idx:
    'CREATE INDEX "User_name_trgm_idx" ON public."User" USING gin (lower(name) gin_trgm_ops)',
  User_email_trgm_idx:
    'CREATE INDEX "User_email_trgm_idx" ON public."User" USING gin (lower(email) gin_trgm_ops)',
  // Keyset order on PostgreSQL, whose tie-breaker is the key ID (SQLite's indexes end in rowid).
  ApiKey_tenantId_createdAt_id_idx:
    "btree ApiKey(tenantId,createdAt,id,revokedAt,expiresAt,ownerId)",
  ApiKey_tenantId_description_id_status_idx:
    "btree ApiKey(tenantId,description,id,revokedAt,expiresAt,ownerId)",
  ApiKey_tenantId_lastUsedAt_id_status_idx:
    "btree ApiKey(tenantId,lastUsedAt,id,revokedAt,expiresAt,ownerId)",
  ApiKey_tenantId_expiresAt_id_status_idx: "btree ApiKey(tenantId,expiresAt,id,revokedAt,ownerId)",
  ApiKey_ownerId_revokedAt_expiresAt_id_name_idx:
    "btree ApiKey(ownerId,revokedAt,expiresAt,id,description)",
  ApiKey_ownerId_description_id_status_idx:
    "btree ApiKey(ownerId,description,id,revokedAt,expiresAt)",
};

/** The parts of Prisma's DMMF datamodel that decide the tables. */
interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  fields: { name: string }[];
}

interface Datamodel {
  models: DmmfModel[];
  indexes: DmmfIndex[];
}

// Prisma's generator protocol (JSON-RPC on stdin, answers on stderr): hands over the DMMF that
// Prisma itself builds from the schema, so no model is copied by hand into this test.
const DMMF_GENERATOR = `
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
const reply = (id, result) =>
  process.stderr.write(JSON.stringify({ jsonrpc: "2.0", id, result }) + "\\n");
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const request = JSON.parse(line);
  if (request.method === "getManifest") {
    reply(request.id, { manifest: { prettyName: "Keyward datamodel", requiresEngines: [] } });
  } else if (request.method === "generate") {
    const output = request.params.generator.output.value;
    fs.mkdirSync(output, { recursive: true });
    fs.writeFileSync(path.join(output, "datamodel.json"), JSON.stringify(request.params.dmmf.datamodel));
    reply(request.id, null);
  }
});
`;

/** Keyward's models as Prisma reads prisma/schema.prisma, through `prisma generate`. */
function prismaDatamodel(): Datamodel {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keyward-dmmf-"));
  try {
    const generator = path.join(dir, "datamodel-generator.mjs");
    fs.writeFileSync(generator, DMMF_GENERATOR);
    const source = fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8");
    const schema = [
      `generator datamodel {`,
      `  provider = ${JSON.stringify(`${process.execPath} ${generator}`)}`,
      `  output   = ${JSON.stringify(path.join(dir, "out"))}`,
      `}`,
      source.replace(/^generator\s+\w+\s*\{[\s\S]*?^\}/gm, ""),
    ].join("\n");
    fs.writeFileSync(path.join(dir, "schema.prisma"), schema);
    // The config (engine "js") and a client engine type keep the CLI from fetching engines.
    execFileSync(
      path.join(root, "node_modules", ".bin", "prisma"),
      ["generate", "--schema", path.join(dir, "schema.prisma")],
      { cwd: root, env: { ...process.env, PRISMA_CLIENT_ENGINE_TYPE: "client" }, stdio: "pipe" },
    );
    return JSON.parse(fs.readFileSync(path.join(dir, "out", "datamodel.json"), "utf8"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What the database should hold, and what it does hold, in one comparable shape. */
interface Schema {
  tables: string[];
  // "Table"."column" → "type null|not null default ..."
  columns: Record<string, string>;
  // constraint name → "kind Table(columns) ..."
  constraints: Record<string, string>;
  // index name → "unique? method Table(columns)"
  indexes: Record<string, string>;
}

// The PostgreSQL column each Prisma scalar becomes (DateTime is @db.Timestamptz(3) on PostgreSQL).
const COLUMN_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Boolean: "boolean",
  DateTime: "timestamp with time zone(3)",
};

// pg_constraint's action codes, by Prisma's referential action names.
const ACTIONS: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

function columnDefault(model: string, field: DmmfField): string {
  const value = field.default;
  if (!field.hasDefaultValue) return "";
  if (typeof value === "boolean" || typeof value === "number") return ` default ${value}`;
  if (typeof value === "string" && field.type === "String") {
    return ` default '${value.replaceAll("'", "''")}'::text`;
  }
  if (typeof value === "object" && value && (value as { name?: string }).name === "now") {
    return " default CURRENT_TIMESTAMP";
  }
  throw new Error(
    `${model}.${field.name}: no PostgreSQL default known for ${JSON.stringify(value)}`,
  );
}

function expectedSchema({ models, indexes }: Datamodel): Schema {
  const schema: Schema = { tables: [], columns: {}, constraints: {}, indexes: {} };
  const tableOf = (name: string) => {
    const model = models.find((candidate) => candidate.name === name);
    if (!model) throw new Error(`No model ${name}`);
    return model.dbName ?? model.name;
  };
  const columnOf = (modelName: string, fieldName: string) => {
    const field = models
      .find((model) => model.name === modelName)
      ?.fields.find((candidate) => candidate.name === fieldName);
    if (!field) throw new Error(`No field ${modelName}.${fieldName}`);
    return field.dbName ?? field.name;
  };

  for (const model of models) {
    const table = tableOf(model.name);
    schema.tables.push(table);
    for (const field of model.fields) {
      if (field.kind === "object") {
        const from = field.relationFromFields ?? [];
        if (from.length === 0) continue;
        const columns = from.map((name) => columnOf(model.name, name));
        const to = (field.relationToFields ?? []).map((name) => columnOf(field.type, name));
        // Prisma's defaults: Restrict for a required relation, SetNull for an optional one.
        const required = from.every(
          (name) => model.fields.find((f) => f.name === name)?.isRequired,
        );
        const onDelete = field.relationOnDelete ?? (required ? "Restrict" : "SetNull");
        const onUpdate = field.relationOnUpdate ?? "Cascade";
        schema.constraints[`${table}_${columns.join("_")}_fkey`] =
          `foreign key ${table}(${columns}) references ${tableOf(field.type)}(${to}) ` +
          `on delete ${ACTIONS[onDelete]} on update ${ACTIONS[onUpdate]}`;
        continue;
      }
      const type = COLUMN_TYPES[field.type];
      if (field.kind !== "scalar" || field.isList || !type) {
        throw new Error(
          `${model.name}.${field.name}: no PostgreSQL column known for ${field.type}`,
        );
      }
      const nullable = field.isRequired ? "not null" : "null";
      schema.columns[`${table}.${field.dbName ?? field.name}`] =
        `${type} ${nullable}${columnDefault(model.name, field)}`;
    }
  }

  for (const index of indexes) {
    const table = tableOf(index.model);
    const columns = index.fields.map((field) => columnOf(index.model, field.name));
    const suffix = { id: "pkey", unique: "key", normal: "idx", fulltext: "idx" }[index.type];
    const name =
      index.dbName ?? `${table}_${index.type === "id" ? "" : `${columns.join("_")}_`}${suffix}`;
    if (index.type === "id") schema.constraints[name] = `primary key ${table}(${columns})`;
    const unique = index.type === "normal" ? "" : "unique ";
    schema.indexes[name] = `${unique}btree ${table}(${columns})`;
  }
  schema.tables.sort();
  return schema;
}

async function appliedSchema(client: Client): Promise<Schema> {
  const schema: Schema = { tables: [], columns: {}, constraints: {}, indexes: {} };
  const tables = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  schema.tables = tables.rows
    .map((row) => row.table_name)
    .filter((table) => !NON_MODEL_TABLES.has(table))
    .sort();

  const columns = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    datetime_precision: number | null;
    is_nullable: "YES" | "NO";
    column_default: string | null;
  }>(
    `SELECT table_name, column_name, data_type, datetime_precision, is_nullable, column_default
     FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  for (const column of columns.rows) {
    if (NON_MODEL_TABLES.has(column.table_name)) continue;
    const type = column.data_type.startsWith("timestamp")
      ? `${column.data_type}(${column.datetime_precision})`
      : column.data_type;
    const nullable = column.is_nullable === "YES" ? "null" : "not null";
    const dflt = column.column_default === null ? "" : ` default ${column.column_default}`;
    schema.columns[`${column.table_name}.${column.column_name}`] = `${type} ${nullable}${dflt}`;
  }

  const constraints = await client.query<{
    name: string;
    table: string;
    type: string;
    columns: string[];
    references: string | null;
    referenced: string[];
    on_delete: string;
    on_update: string;
    definition: string;
  }>(
    `SELECT c.conname AS name, t.relname AS table, c.contype AS type,
       array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(num, pos)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num
             ORDER BY k.pos) AS columns,
       r.relname AS references,
       array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(num, pos)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num
             ORDER BY k.pos) AS referenced,
       CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT' WHEN 'a' THEN 'NO ACTION'
         WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS on_delete,
       CASE c.confupdtype WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT' WHEN 'a' THEN 'NO ACTION'
         WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS on_update,
       pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     LEFT JOIN pg_class r ON r.oid = c.confrelid
     WHERE n.nspname = 'public'`,
  );
  for (const row of constraints.rows) {
    if (NON_MODEL_TABLES.has(row.table)) continue;
    schema.constraints[row.name] =
      row.type === "p"
        ? `primary key ${row.table}(${row.columns})`
        : row.type === "f"
          ? `foreign key ${row.table}(${row.columns}) references ${row.references}(${row.referenced}) ` +
            `on delete ${row.on_delete} on update ${row.on_update}`
          : // Prisma makes unique indexes, never UNIQUE or CHECK constraints.
            `${row.type} ${row.table}: ${row.definition}`;
  }

  const indexes = await client.query<{
    name: string;
    table: string;
    unique: boolean;
    method: string;
    columns: (string | null)[];
    definition: string;
  }>(
    `SELECT i.relname AS name, t.relname AS table, x.indisunique AS unique, am.amname AS method,
       array(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(num, pos)
             LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.num
             ORDER BY k.pos) AS columns,
       pg_get_indexdef(x.indexrelid) AS definition
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN pg_am am ON am.oid = i.relam
     WHERE n.nspname = 'public'`,
  );
  for (const row of indexes.rows) {
    if (NON_MODEL_TABLES.has(row.table)) continue;
    const plain = row.method === "btree" && row.columns.every((column) => column !== null);
    // A partial or expression index shows its whole definition, so it can never pass as Prisma's.
    schema.indexes[row.name] =
      plain && !/\bWHERE\b/.test(row.definition)
        ? `${row.unique ? "unique " : ""}btree ${row.table}(${row.columns})`
        : row.definition;
  }
  return schema;
}

function databaseOn(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

const describeWithPostgres = serverUrl ? describe : describe.skip;
const title = serverUrl
  ? "PostgreSQL migrations (db/migrations) match the Prisma models"
  : "PostgreSQL migrations match the Prisma models: skipped, PostgreSQL is not available (set KEYWARD_TEST_POSTGRES_URL)";

describeWithPostgres(title, () => {
  const database = `keyward_drift_${randomBytes(6).toString("hex")}`;
  let expected: Schema;
  let actual: Schema;

  beforeAll(async () => {
    expected = expectedSchema(prismaDatamodel());
    migrate(databaseOn(serverUrl!, database), { stdio: "pipe" });
    const client = new Client({ connectionString: databaseOn(serverUrl!, database) });
    await client.connect();
    try {
      actual = await appliedSchema(client);
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });

  it("has one table per model", () => {
    expect(actual.tables).toEqual(expected.tables);
  });

  it("gives every column Prisma's type, nullability and default", () => {
    expect(actual.columns).toEqual(expected.columns);
  });

  it("names primary and foreign keys as Prisma does, with the same referential actions", () => {
    expect(actual.constraints).toEqual(expected.constraints);
  });

  it("has Prisma's unique and plain indexes, and besides them only the search indexes", () => {
    expect(actual.indexes).toEqual({ ...expected.indexes, ...SEARCH_INDEXES });
  });
});
