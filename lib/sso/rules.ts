import { z } from "zod";
import { hasControlOrBidiCharacters, isUnicodeText } from "@/lib/validation/text";

/** The claim Keyward reads the groups from unless the admin names another. */
export const DEFAULT_GROUPS_CLAIM = "groups";

/**
 * Plain http to an identity provider on loopback: always outside production (`next dev`, tests),
 * and in production only where `KEYWARD_SSO_HTTP_LOOPBACK=1` says so (a test provider beside it).
 */
export function httpOnLoopbackAllowed(): boolean {
  return process.env.NODE_ENV !== "production" || process.env.KEYWARD_SSO_HTTP_LOOPBACK === "1";
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Whether Keyward may send a request to an identity provider at this URL: https, or plain http on
 * loopback when `httpOnLoopback` (a test provider on this machine).
 */
export function idpRequestAllowed(
  url: URL,
  { httpOnLoopback = httpOnLoopbackAllowed() } = {},
): boolean {
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && httpOnLoopback && LOOPBACK_HOSTS.has(url.hostname);
}

/** An issuer Keyward accepts: a URL it may request, without credentials, query or fragment. */
export function issuerAllowed(
  raw: string,
  { httpOnLoopback = httpOnLoopbackAllowed() } = {},
): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  return idpRequestAllowed(url, { httpOnLoopback });
}

/** The domain of an email address, lowercased; null when there is none. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf("@");
  if (at < 1 || at === email.length - 1) return null;
  return email.slice(at + 1).toLowerCase();
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;

/** A list typed one per line (and, where `commas`, comma-separated too), or sent as an array. */
function listOf(label: string, item: z.ZodType<string, string>, { commas = false, max = 50 } = {}) {
  return z
    .union([z.string(), z.array(z.string())], { error: `${label} must be text.` })
    .transform((value) =>
      (Array.isArray(value) ? value : value.split(commas ? /[\n,]/ : /\n/))
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ""),
    )
    .pipe(z.array(item).max(max, `${label}: at most ${max} entries.`))
    .transform((entries) => [...new Set(entries)]);
}

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text.` })
    .refine(isUnicodeText, { error: `${label} must be valid Unicode text.`, abort: true })
    .max(max, `${label} can be at most ${max} characters.`)
    .refine(
      (value) => !hasControlOrBidiCharacters(value),
      `${label} cannot contain control characters.`,
    );

const domainSchema = z
  .string()
  .transform((value) => value.toLowerCase())
  .refine((value) => DOMAIN.test(value), {
    error: (issue) => `"${String(issue.input)}" is not an email domain such as example.com.`,
  });

const groupSchema = text("A group", 256);

/** What the Settings form (or a hand-made call) sends for the identity provider. */
export const ssoSettingsSchema = z.object({
  issuer: text("Issuer URL", 2048)
    .transform((value) => value.trim().replace(/\/+$/, ""))
    .refine((value) => issuerAllowed(value), {
      error:
        "Issuer URL must be an https URL without query, such as https://login.example.com (plain http only on loopback, where allowed).",
    }),
  clientId: text("Client ID", 256)
    .transform((value) => value.trim())
    .refine((value) => value !== "", "Client ID is required."),
  /** Empty keeps the stored secret. */
  clientSecret: text("Client secret", 1024).optional(),
  domains: listOf("Email domains", domainSchema, { commas: true }).refine(
    (list) => list.length > 0,
    "Enter at least one email domain, such as example.com.",
  ),
  groupsClaim: text("Group claim", 128)
    .transform((value) => value.trim() || DEFAULT_GROUPS_CLAIM)
    .refine((value) => /^[A-Za-z0-9_:./-]+$/.test(value), {
      error: "Group claim must be a claim name such as groups (letters, digits, _ : . / -).",
    })
    .default(DEFAULT_GROUPS_CLAIM),
  developerGroups: listOf("Developer groups", groupSchema).default([]),
  adminGroups: listOf("TenantAdmin groups", groupSchema).default([]),
  required: z.boolean({ error: "Require SSO must be true or false." }).default(false),
  breakGlassUserId: z
    .string({ error: "Break-glass admin must be a user ID." })
    .max(64, "Break-glass admin not found.")
    .nullable()
    .transform((value) => value?.trim() || null)
    .default(null),
});

export type SsoSettingsInput = z.output<typeof ssoSettingsSchema>;

export interface GroupMapping {
  groupsClaim: string;
  developerGroups: string[];
  adminGroups: string[];
}

/** The group values a claim holds: a list of strings or a single one; anything else holds none. */
function groupsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((entry) => typeof entry === "string");
  return [];
}

/** The roles the identity provider's claims give: exact group matches, nothing else. */
export function rolesFromClaims(
  claims: Record<string, unknown>,
  mapping: GroupMapping,
): { developer: boolean; tenantAdmin: boolean } {
  const groups = new Set(groupsIn(claims[mapping.groupsClaim]));
  return {
    developer: mapping.developerGroups.some((group) => groups.has(group)),
    tenantAdmin: mapping.adminGroups.some((group) => groups.has(group)),
  };
}
