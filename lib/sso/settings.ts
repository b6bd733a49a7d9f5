import "server-only";
import { recordEvent } from "@/lib/audit/record";
import { requireRole } from "@/lib/auth/guards";
import type { Principal } from "@/lib/auth/principal";
import { sealSecret } from "@/lib/auth/sealed-secret";
import { db, type Tx } from "@/lib/db";
import { lockRow, withTransaction } from "@/lib/db/transaction";
import { DomainError, Invalid } from "@/lib/errors";
import { isDatabaseRefusal } from "@/lib/db/errors";
import { parseInput } from "@/lib/validation/parse";
import { ssoSettingsSchema } from "./rules";

/** Where the identity provider sends people back: the redirect URI to register there. */
export const SSO_CALLBACK_PATH = "/api/auth/callback/sso";

/** A tenant's single sign-on as Settings shows it: never the client secret, only that one is stored. */
export interface SsoSettingsView {
  issuer: string;
  clientId: string;
  secretStored: boolean;
  domains: string[];
  groupsClaim: string;
  developerGroups: string[];
  adminGroups: string[];
  required: boolean;
  breakGlassUserId: string | null;
}

/** An admin who may be the break-glass account: active, joined, with a password. */
export interface BreakGlassCandidate {
  id: string;
  name: string;
  email: string;
}

type StoredSso = NonNullable<Awaited<ReturnType<typeof db.tenantSso.findUnique>>>;

function groupList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((entry) => typeof entry === "string") : [];
}

function toView(sso: StoredSso, domains: { domain: string }[]): SsoSettingsView {
  return {
    issuer: sso.issuer,
    clientId: sso.clientId,
    secretStored: sso.clientSecret !== "",
    domains: domains.map((row) => row.domain).sort(),
    groupsClaim: sso.groupsClaim,
    developerGroups: groupList(sso.developerGroups),
    adminGroups: groupList(sso.adminGroups),
    required: sso.required,
    breakGlassUserId: sso.breakGlassUserId,
  };
}

async function readSso(tx: Tx | typeof db, tenantId: string): Promise<SsoSettingsView | null> {
  const sso = await tx.tenantSso.findUnique({ where: { tenantId } });
  if (!sso) return null;
  const domains = await tx.ssoDomain.findMany({ where: { tenantId }, select: { domain: true } });
  return toView(sso, domains);
}

/** The tenant's identity provider, or null where none is connected. Tenant admins only. */
export async function getSsoSettings(principal: Principal): Promise<SsoSettingsView | null> {
  requireRole(principal, "TenantAdmin");
  return readSso(db, principal.tenantId);
}

const breakGlassWhere = (tenantId: string) => ({
  tenantId,
  isTenantAdmin: true,
  disabledAt: null,
  invitedAt: null,
  passwordHash: { not: "" },
});

/** The admins of the tenant who can sign in with a password, for the break-glass choice. */
export async function listBreakGlassCandidates(
  principal: Principal,
): Promise<BreakGlassCandidate[]> {
  requireRole(principal, "TenantAdmin");
  return db.user.findMany({
    where: breakGlassWhere(principal.tenantId),
    select: { id: true, name: true, email: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: 200,
  });
}

/**
 * Connects or changes the tenant's identity provider (TenantAdmin). The client secret is sealed;
 * an empty one keeps the stored secret. Each email domain belongs to one tenant at most, and
 * requiring SSO needs a break-glass admin who can still sign in with a password. Records
 * `tenant.sso.updated` with the settings before and after (never the secret).
 */
export async function updateSsoSettings(
  principal: Principal,
  input: unknown,
): Promise<SsoSettingsView> {
  requireRole(principal, "TenantAdmin");
  const settings = parseInput(ssoSettingsSchema, input);
  const tenantId = principal.tenantId;
  try {
    return await withTransaction(async (tx) => {
      await lockRow(tx, "Tenant", tenantId);
      const stored = await tx.tenantSso.findUnique({ where: { tenantId } });
      const before = stored ? await readSso(tx, tenantId) : null;
      const newSecret = settings.clientSecret?.trim() ?? "";
      if (!stored && newSecret === "") {
        throw new Invalid("Client secret is required.", "clientSecret");
      }
      const taken = await tx.ssoDomain.findFirst({
        where: { domain: { in: settings.domains }, tenantId: { not: tenantId } },
      });
      if (taken) throw domainTaken(taken.domain);
      if (settings.required && !settings.breakGlassUserId) {
        throw new Invalid(
          "Choose a break-glass admin before requiring SSO: they can still sign in with a password if the identity provider fails.",
          "breakGlassUserId",
        );
      }
      if (settings.breakGlassUserId) {
        const admin = await tx.user.findFirst({
          where: { id: settings.breakGlassUserId, ...breakGlassWhere(tenantId) },
        });
        if (!admin) {
          throw new Invalid(
            "The break-glass admin must be an active tenant admin of this tenant who signs in with a password.",
            "breakGlassUserId",
          );
        }
      }
      const data = {
        issuer: settings.issuer,
        clientId: settings.clientId,
        groupsClaim: settings.groupsClaim,
        developerGroups: JSON.stringify(settings.developerGroups),
        adminGroups: JSON.stringify(settings.adminGroups),
        required: settings.required,
        breakGlassUserId: settings.breakGlassUserId,
        ...(newSecret ? { clientSecret: sealSecret(newSecret, tenantId) } : {}),
      };
      await tx.tenantSso.upsert({
        where: { tenantId },
        create: { tenantId, clientSecret: "", ...data },
        update: data,
      });
      await tx.ssoDomain.deleteMany({ where: { tenantId } });
      await tx.ssoDomain.createMany({
        data: settings.domains.map((domain) => ({ domain, tenantId })),
      });
      const after = (await readSso(tx, tenantId))!;
      await recordEvent(tx, principal, {
        eventType: "tenant.sso.updated",
        data: { before, after, secretReplaced: newSecret !== "" },
      });
      return after;
    });
  } catch (error) {
    // Two tenants claiming one domain at once: the primary key decides.
    if (isDatabaseRefusal(error, "P2002")) {
      throw domainTaken(settings.domains.join(", "));
    }
    throw error;
  }
}

function domainTaken(domain: string): DomainError {
  return new DomainError(
    "CONFLICT",
    `${domain} already belongs to another tenant's single sign-on. An email domain can belong to one tenant only.`,
    "domains",
  );
}

/**
 * Disconnects the identity provider (TenantAdmin): its domains are free again and everyone signs
 * in with a password. Records `tenant.sso.removed` with the settings it had.
 */
export async function removeSsoSettings(principal: Principal): Promise<void> {
  requireRole(principal, "TenantAdmin");
  await withTransaction(async (tx) => {
    await lockRow(tx, "Tenant", principal.tenantId);
    const before = await readSso(tx, principal.tenantId);
    // Nothing connected: nothing to disconnect, and nothing to record.
    if (!before) return;
    await tx.ssoDomain.deleteMany({ where: { tenantId: principal.tenantId } });
    await tx.tenantSso.delete({ where: { tenantId: principal.tenantId } });
    await recordEvent(tx, principal, { eventType: "tenant.sso.removed", data: { before } });
  });
}
