// Raw writes of chained audit events through better-sqlite3, for fixtures and benchmarks that
// arrange events without the app (the app itself writes through lib/audit/record.ts).
import type Database from "better-sqlite3";
import { eventHash, type ChainedContent } from "../audit/chain";
import { sqliteTime } from "./sqlite/time";

/** A prepared insert of one chained event; returns the event's hash, the next one's prevHash. */
export function rawAuditEventWriter(db: Database.Database) {
  const insert = db.prepare(
    `INSERT INTO AuditEvent (id, tenantId, seq, eventType, eventTime, userId, apiKeyId, source, ip, userAgent, data, prevHash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (content: ChainedContent, prevHash: string): string => {
    const hash = eventHash(prevHash, content);
    insert.run(
      content.id,
      content.tenantId,
      content.seq,
      content.eventType,
      sqliteTime(content.eventTime),
      content.userId,
      content.apiKeyId,
      content.source,
      content.ip,
      content.userAgent,
      content.data,
      prevHash,
      hash,
    );
    return hash;
  };
}
