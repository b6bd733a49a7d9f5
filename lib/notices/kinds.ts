/** What a key's owner is told, once per key (SPEC §8). */
export const NOTICE_KINDS = [
  "expiry-7d",
  "expiry-1d",
  "revoked",
  "leaked",
  "unused-revoked",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const EXPIRY_NOTICE_KINDS = ["expiry-7d", "expiry-1d"] as const;
