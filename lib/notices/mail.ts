import "server-only";
import type { Mail } from "@/lib/mail";
import type { NoticeKind } from "./kinds";

/** Where links in mail point: `KEYWARD_PUBLIC_URL`, else the address `npm start` serves. */
export function publicBaseUrl(): string {
  const configured = process.env.KEYWARD_PUBLIC_URL?.trim().replace(/\/+$/, "");
  return configured || `http://localhost:${process.env.PORT || 3000}`;
}

export interface NoticeForMail {
  kind: string;
  user: { email: string; name: string };
  apiKey: { id: string; description: string; hint: string; expiresAt: Date };
  /** For `unused-revoked`: the tenant's setting. */
  unusedDays?: number | null;
}

function utc(time: Date): string {
  return `${time.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const SUBJECTS: Record<NoticeKind, (name: string) => string> = {
  "expiry-7d": (name) => `Your API key "${name}" expires in 7 days`,
  "expiry-1d": (name) => `Your API key "${name}" expires tomorrow`,
  revoked: (name) => `Your API key "${name}" was revoked`,
  leaked: (name) => `Your API key "${name}" was reported leaked and revoked`,
  "unused-revoked": (name) => `Your unused API key "${name}" was revoked`,
};

function what(notice: NoticeForMail): string {
  switch (notice.kind as NoticeKind) {
    case "expiry-7d":
    case "expiry-1d":
      return "It stops working when it expires. To keep your programs running, regenerate it from its page and give them the new key.";
    case "revoked":
      return "A tenant admin revoked it: programs using it are refused. Generate a new key if you still need one.";
    case "leaked":
      return "Its token was reported as found in public, so Keyward revoked it at once: programs using it are refused. Generate a new key, and remove the old token from wherever it was found.";
    case "unused-revoked":
      return `Your tenant revokes keys unused for ${notice.unusedDays ?? "some"} days, and this one was: programs using it are refused. Generate a new key if you still need one.`;
  }
}

/** The mail of a notice: the key by name and ID hint (never its token), its expiry and its page. */
export function noticeMail(notice: NoticeForMail): Mail {
  const { apiKey, user } = notice;
  const subject = (SUBJECTS[notice.kind as NoticeKind] ?? SUBJECTS.revoked)(apiKey.description);
  const text = [
    `Hello ${user.name},`,
    "",
    `${subject}.`,
    "",
    `Key:     ${apiKey.description}`,
    `Key ID:  ${apiKey.id} (token ${apiKey.hint})`,
    `Expires: ${utc(apiKey.expiresAt)}`,
    "",
    what(notice),
    "",
    `${publicBaseUrl()}/profile/api-keys/${apiKey.id}`,
    "",
    "— Keyward",
  ].join("\n");
  return { to: user.email, subject, text };
}
