import { describe, expect, it } from "vitest";
import * as apiKeys from "@/lib/api-keys/service";
import * as settings from "@/lib/tenants/settings";
import * as userAdmin from "@/lib/users/admin";
import * as directory from "@/lib/users/directory";
import * as invitations from "@/lib/users/invitations";
import * as passwords from "@/lib/users/passwords";
import { hashPassword } from "@/lib/auth/password";
import * as ssoSettings from "@/lib/sso/settings";
import * as ssoSignIn from "@/lib/sso/sign-in";
import type { Principal } from "@/lib/auth/principal";
import { digestApiKeyToken } from "@/lib/api-keys/token";
import { db } from "@/lib/db";
import { withTransaction } from "@/lib/db/transaction";
import { failAuditInsertsFor } from "@/test/engine";
import { createTenant, createUser, principalOf } from "@/test/factories";
import type { AuditEventType } from "./event-types";

interface World {
  tenantId: string;
  admin: Principal;
  dev: Principal;
  /** An active key owned by `dev`. */
  keyId: string;
}

/** `read`: changes nothing, so records nothing. Otherwise: how to call it and what it records. */
type Expectation =
  | { read: (w: World) => Promise<unknown>; setup?: (w: World) => Promise<unknown> }
  | {
      events: AuditEventType[];
      run: (w: World) => Promise<unknown>;
      /** Arrangement whose own events are not counted. */
      setup?: (w: World) => Promise<unknown>;
    };

const API_KEY_FUNCTIONS: Record<string, Expectation> = {
  createApiKey: {
    events: ["api-key.created"],
    run: (w) => apiKeys.createApiKey(w.dev, { description: "Created in test" }),
  },
  renameApiKey: {
    events: ["api-key.updated"],
    run: (w) => apiKeys.renameApiKey(w.dev, w.keyId, "Renamed"),
  },
  deleteApiKey: { events: ["api-key.deleted"], run: (w) => apiKeys.deleteApiKey(w.dev, w.keyId) },
  deleteAllApiKeys: {
    events: ["api-key.deleted", "api-key.deleted"],
    setup: (w) => apiKeys.createApiKey(w.dev, { description: "Second" }),
    run: (w) => apiKeys.deleteAllApiKeys(w.dev),
  },
  revokeApiKeys: {
    events: ["api-key.revoked"],
    run: (w) => apiKeys.revokeApiKeys(w.admin, [w.keyId]),
  },
  deleteOrRevokeApiKey: {
    events: ["api-key.revoked"],
    run: (w) => apiKeys.deleteOrRevokeApiKey(w.admin, w.keyId),
  },
  regenerateApiKey: {
    events: ["api-key.created", "api-key.regenerated"],
    run: (w) => apiKeys.regenerateApiKey(w.dev, w.keyId, { gracePeriod: "PT1H" }),
  },
  getApiKey: { read: (w) => apiKeys.getApiKey(w.admin, w.keyId) },
  listOwnApiKeys: { read: (w) => apiKeys.listOwnApiKeys(w.dev) },
};

const SETTINGS_FUNCTIONS: Record<string, Expectation> = {
  getApiKeySettings: { read: (w) => settings.getApiKeySettings(w.admin, w.tenantId) },
  countUsableApiKeys: { read: (w) => settings.countUsableApiKeys(w.admin, w.tenantId) },
  updateApiKeySettings: {
    events: ["api-keys-config.updated"],
    run: (w) => settings.updateApiKeySettings(w.admin, w.tenantId, { max_keys_per_user: 7 }),
  },
};

const USER_ADMIN_FUNCTIONS: Record<string, Expectation> = {
  listTenantUsers: { read: (w) => userAdmin.listTenantUsers(w.admin) },
  setUserRoles: {
    events: ["user.roles.updated"],
    run: (w) =>
      userAdmin.setUserRoles(w.admin, w.dev.userId, { developer: true, tenantAdmin: true }),
  },
  setUserDisabled: {
    events: ["user.disabled"],
    run: (w) => userAdmin.setUserDisabled(w.admin, w.dev.userId, true),
  },
  endUserSessions: {
    events: ["user.sessions.ended"],
    run: (w) => userAdmin.endUserSessions(w.admin, w.dev.userId),
  },
  // The lock every change above takes first: it records nothing.
  lockedTenantUser: {
    read: (w) => withTransaction((tx) => userAdmin.lockedTenantUser(tx, w.admin, w.dev.userId)),
  },
  deleteUser: { events: ["user.deleted"], run: (w) => userAdmin.deleteUser(w.admin, w.dev.userId) },
  updateTenantUser: {
    events: ["user.updated", "user.roles.updated", "user.disabled"],
    run: (w) =>
      userAdmin.updateTenantUser(w.admin, w.dev.userId, {
        name: "Renamed",
        roles: { developer: false, tenantAdmin: false },
        disabled: true,
      }),
  },
};

const DIRECTORY_FUNCTIONS: Record<string, Expectation> = {
  listUsers: {
    read: (w) => directory.listUsers(w.admin, directory.listUsersQuerySchema.parse({})),
  },
  countUsers: { read: (w) => directory.countUsers(w.admin) },
  getUser: { read: (w) => directory.getUser(w.admin, w.dev.userId) },
  // Shapes only: no database at all.
  subjectOf: { read: async (w) => directory.subjectOf({ id: w.dev.userId, subject: null }) },
  toUserDto: {
    read: async (w) =>
      directory.toUserDto(await db.user.findUniqueOrThrow({ where: { id: w.dev.userId } })),
  },
};

/** The link's secret of the invitation a setup made, for the run that follows. */
let invitationToken = "";
const invite = async (w: World) => {
  const { user, token } = await invitations.inviteUser(w.admin, {
    email: `x-${w.tenantId}@t.test`,
  });
  invitationToken = token!;
  return user;
};

const INVITATION_FUNCTIONS: Record<string, Expectation> = {
  inviteUser: { events: ["user.invited"], run: (w) => invite(w) },
  resendInvitation: {
    events: ["user.invited"],
    setup: invite,
    run: async (w) => {
      const user = await db.user.findUniqueOrThrow({ where: { email: `x-${w.tenantId}@t.test` } });
      return invitations.resendInvitation(w.admin, user.id);
    },
  },
  revokeInvitation: {
    events: ["user.invitation.revoked"],
    setup: invite,
    run: async (w) => {
      const user = await db.user.findUniqueOrThrow({ where: { email: `x-${w.tenantId}@t.test` } });
      return invitations.revokeInvitation(w.admin, user.id);
    },
  },
  acceptInvitation: {
    events: ["user.created"],
    setup: invite,
    run: () =>
      invitations.acceptInvitation(invitationToken, "violet tractor sandwich orbit", {
        ip: "127.0.0.1",
        userAgent: "vitest",
      }),
  },
  describeInvitation: {
    setup: invite,
    read: () => invitations.describeInvitation(invitationToken),
  },
  invitationLink: { read: async () => invitations.invitationLink("https://k.test", "kwi_x") },
  // Without KEYWARD_SMTP_URL nothing is mailed.
  mailInvitation: {
    read: (w) => invitations.mailInvitation(w.admin, "x@t.test", "https://k.test"),
  },
};

const OLD_PASSWORD = "lantern orbit pebble 41";
const withPassword = async (w: World) =>
  db.user.update({
    where: { id: w.dev.userId },
    data: { passwordHash: await hashPassword(OLD_PASSWORD) },
  });
let resetToken = "";
const requestReset = async (w: World) => {
  const { token } = await passwords.createPasswordResetLink(w.admin, w.dev.userId);
  resetToken = token;
};

const PASSWORD_FUNCTIONS: Record<string, Expectation> = {
  changePassword: {
    events: ["user.password.changed"],
    setup: withPassword,
    run: (w) =>
      passwords.changePassword(w.dev, { current: OLD_PASSWORD, next: "quiet harbor violin 7" }),
  },
  requestPasswordReset: {
    events: ["user.password.reset-requested"],
    run: async (w) => {
      const { email } = await db.user.findUniqueOrThrow({ where: { id: w.dev.userId } });
      return passwords.requestPasswordReset({ email, address: "127.0.0.1", userAgent: "vitest" });
    },
  },
  createPasswordResetLink: {
    events: ["user.password.reset-requested"],
    run: (w) => passwords.createPasswordResetLink(w.admin, w.dev.userId),
  },
  resetPassword: {
    events: ["user.password.changed"],
    setup: requestReset,
    run: () =>
      passwords.resetPassword(resetToken, "quiet harbor violin 7", {
        ip: "127.0.0.1",
        userAgent: "vitest",
      }),
  },
  describePasswordReset: {
    setup: requestReset,
    read: () => passwords.describePasswordReset(resetToken),
  },
  resetLink: { read: async () => passwords.resetLink("kwr_x", "https://k.test") },
};

/** A tenant's identity provider on a domain of the test's own, for the SSO entries below. */
const ssoDomainOf = (w: World) => `sso-${w.tenantId.toLowerCase()}.example.test`;
const connectSso = (w: World) =>
  ssoSettings.updateSsoSettings(w.admin, {
    issuer: "https://idp.example.test",
    clientId: "keyward",
    clientSecret: "secret",
    domains: ssoDomainOf(w),
    developerGroups: "devs",
  });

const SSO_SETTINGS_FUNCTIONS: Record<string, Expectation> = {
  getSsoSettings: { read: (w) => ssoSettings.getSsoSettings(w.admin) },
  listBreakGlassCandidates: { read: (w) => ssoSettings.listBreakGlassCandidates(w.admin) },
  updateSsoSettings: { events: ["tenant.sso.updated"], run: connectSso },
  removeSsoSettings: {
    events: ["tenant.sso.removed"],
    setup: connectSso,
    run: (w) => ssoSettings.removeSsoSettings(w.admin),
  },
};

const ssoMeta = { ip: "127.0.0.1", userAgent: "vitest" };
const SSO_SIGN_IN_FUNCTIONS: Record<string, Expectation> = {
  // The first sign-in creates the user; the next one with other groups changes their roles.
  signInWithSso: {
    events: ["user.created", "user.roles.updated"],
    setup: connectSso,
    run: async (w) => {
      const email = `jit@${ssoDomainOf(w)}`;
      await ssoSignIn.signInWithSso(w.tenantId, { sub: "s", email, groups: ["devs"] }, ssoMeta);
      return ssoSignIn.signInWithSso(w.tenantId, { sub: "s", email, groups: [] }, ssoMeta);
    },
  },
  ssoTenantForEmail: { read: (w) => ssoSignIn.ssoTenantForEmail(`a@${ssoDomainOf(w)}`) },
  ssoClientOf: { setup: connectSso, read: (w) => ssoSignIn.ssoClientOf(w.tenantId) },
  ssoTenantCookieValue: { read: async (w) => ssoSignIn.ssoTenantCookieValue(w.tenantId) },
  tenantOfSsoCookie: { read: async () => ssoSignIn.tenantOfSsoCookie("x.1.y") },
  ssoRequiredFor: {
    read: async (w) =>
      ssoSignIn.ssoRequiredFor(await db.user.findUniqueOrThrow({ where: { id: w.admin.userId } })),
  },
  ssoRequiredForEmail: { read: (w) => ssoSignIn.ssoRequiredForEmail(`a@${ssoDomainOf(w)}`) },
};

async function world(): Promise<World> {
  const tenant = await createTenant({ maxKeysPerUser: 10 });
  const admin = principalOf(await createUser(tenant.id, { admin: true }));
  const dev = principalOf(await createUser(tenant.id, { developer: true }));
  const { key } = await apiKeys.createApiKey(dev, { description: "Existing key" });
  return { tenantId: tenant.id, admin, dev, keyId: key.id };
}

function exportedFunctions(module: object): string[] {
  return Object.entries(module)
    .filter(([, value]) => typeof value === "function")
    .map(([name]) => name)
    .sort();
}

async function eventsOf(tenantId: string) {
  return db.auditEvent.findMany({ where: { tenantId }, orderBy: { seq: "asc" } });
}

describe("every change records exactly its event", () => {
  for (const [label, domainModule, table] of [
    ["lib/api-keys/service.ts", apiKeys, API_KEY_FUNCTIONS],
    ["lib/tenants/settings.ts", settings, SETTINGS_FUNCTIONS],
    ["lib/users/admin.ts", userAdmin, USER_ADMIN_FUNCTIONS],
    ["lib/users/directory.ts", directory, DIRECTORY_FUNCTIONS],
    ["lib/users/invitations.ts", invitations, INVITATION_FUNCTIONS],
    ["lib/users/passwords.ts", passwords, PASSWORD_FUNCTIONS],
    ["lib/sso/settings.ts", ssoSettings, SSO_SETTINGS_FUNCTIONS],
    ["lib/sso/sign-in.ts", ssoSignIn, SSO_SIGN_IN_FUNCTIONS],
  ] as const) {
    it(`${label}: every exported function is listed with its event (or as a read)`, () => {
      const unlisted = exportedFunctions(domainModule).filter((name) => !(name in table));
      expect(unlisted, `add these to the event expectations in ${__filename}`).toEqual([]);
    });

    for (const [name, expectation] of Object.entries(table)) {
      it(`${label}: ${name} records ${"events" in expectation ? expectation.events.join(", ") : "nothing"}`, async () => {
        const w = await world();
        if ("setup" in expectation) await expectation.setup?.(w);
        const before = await eventsOf(w.tenantId);
        if ("events" in expectation) await expectation.run(w);
        else await expectation.read(w);
        const added = (await eventsOf(w.tenantId)).slice(before.length);
        const expected = "events" in expectation ? expectation.events : [];
        expect(added.map((event) => event.eventType)).toEqual(expected);
        for (const event of added) {
          expect(event.ip).toBe("127.0.0.1");
          expect(event.userAgent).toBe("vitest");
          expect(event.userId).toBeTruthy();
          if (event.eventType.startsWith("api-key.")) expect(event.apiKeyId).toBeTruthy();
        }
      });
    }
  }
});

describe("a failed event write", () => {
  it("rolls the change back with it", async () => {
    const w = await world();
    // A real failure in the database, for this tenant only, so other tests are unaffected.
    const repair = await failAuditInsertsFor(w.tenantId);
    try {
      const keysBefore = await db.apiKey.findMany({ where: { tenantId: w.tenantId } });
      const tenantBefore = await db.tenant.findUnique({ where: { id: w.tenantId } });
      await expect(apiKeys.renameApiKey(w.dev, w.keyId, "Should not stick")).rejects.toThrow();
      await expect(
        apiKeys.createApiKey(w.dev, { description: "Should not exist" }),
      ).rejects.toThrow();
      await expect(apiKeys.revokeApiKeys(w.admin, [w.keyId])).rejects.toThrow();
      await expect(apiKeys.deleteApiKey(w.dev, w.keyId)).rejects.toThrow();
      await expect(
        settings.updateApiKeySettings(w.admin, w.tenantId, { api_keys_enabled: false }),
      ).rejects.toThrow();
      expect(await db.apiKey.findMany({ where: { tenantId: w.tenantId } })).toEqual(keysBefore);
      const tenantAfter = await db.tenant.findUnique({ where: { id: w.tenantId } });
      expect(tenantAfter?.apiKeysEnabled).toBe(tenantBefore?.apiKeysEnabled);
      expect(tenantAfter?.maxKeysPerUser).toBe(tenantBefore?.maxKeysPerUser);
    } finally {
      await repair();
    }
  });
});

describe("events never hold secrets", () => {
  it("no token, digest or password hash appears in any event after a full key lifecycle", async () => {
    const w = await world();
    const secrets: string[] = [];
    for (const description of ["Lifecycle one", "Lifecycle two", "Lifecycle three"]) {
      const { key, token } = await apiKeys.createApiKey(w.dev, { description });
      secrets.push(token, digestApiKeyToken(token));
      await apiKeys.renameApiKey(w.dev, key.id, `${description} renamed`);
      if (description === "Lifecycle one") await apiKeys.revokeApiKeys(w.admin, [key.id]);
      if (description === "Lifecycle two") await apiKeys.deleteApiKey(w.dev, key.id);
    }
    await apiKeys.deleteAllApiKeys(w.dev);
    const users = await db.user.findMany({ where: { tenantId: w.tenantId } });
    secrets.push(...users.map((user) => user.passwordHash));
    const events = await eventsOf(w.tenantId);
    expect(events.length).toBeGreaterThanOrEqual(10);
    const text = JSON.stringify(events);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/kw_[0-9A-Za-z]{20,}/);
  });
});
