// Who may call what: every route and method, every page and every server action of Keyward, with
// the callers its rule lets through. e2e/authorization.spec.ts walks it for each caller, and fails
// on anything in app/ that is not listed here, so that a new endpoint cannot arrive without a rule.

/** The callers the matrix tries, each against tenant A's resources unless said otherwise. */
export const CALLERS = [
  "anonymous",
  /** A signed-in user of tenant A with no role. */
  "noRole",
  /** A signed-in Developer of tenant A: the owner of the keys the entries aim at. */
  "developer",
  /** A signed-in TenantAdmin of tenant A, without Developer. */
  "tenantAdmin",
  /** A signed-in TenantAdmin and Developer of tenant B. */
  "otherTenantAdmin",
  /** A session of a TenantAdmin and Developer of tenant A, taken before the user was disabled. */
  "disabledUser",
  /** A key of the Developer above. */
  "developerKey",
  /** A key of a TenantAdmin and Developer of tenant A. */
  "tenantAdminKey",
  /** A key whose owner holds no role (so it is refused: keys need Developer). */
  "noRoleKey",
  /** A revoked key of the Developer above. */
  "revokedKey",
] as const;
export type Caller = (typeof CALLERS)[number];

/** What an entry aims at, made fresh for each call so that one call never spoils the next. */
export interface Target {
  /** Tenant A, whose resources the entries aim at. */
  tenantId: string;
  /** A key of the `developer` caller. */
  keyId: string;
  /** A user of tenant A without roles. */
  userId: string;
  /** A user of tenant A invited and not yet joined. */
  invitedUserId: string;
  /** A space of tenant A. */
  spaceId: string;
  /** An event of tenant A. */
  eventId: string;
}

export interface Call {
  path: string;
  /** A JSON body for routes; the arguments for a server action. */
  body?: unknown;
}

export interface Entry {
  kind: "route" | "page" | "action";
  /** Routes and pages: the file under app/; actions: the exported function's name. */
  source: string;
  /** Routes only. */
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /**
   * `public`: anyone may call it, and it changes nothing of a tenant's (it only signs in or out).
   * Otherwise the callers allowed; every other caller is refused and nothing changes.
   */
  allowed: "public" | readonly Caller[];
  call(target: Target): Call;
  /** Ends the caller's own session when it goes through: the callers sign in again afterwards. */
  endsOwnSession?: boolean;
  /**
   * An answer that refuses the input, not the caller: the call got past the check of who calls
   * (a wrong current password, say), so it counts as let through.
   */
  passedWhen?: RegExp;
}

const SIGNED_IN = ["noRole", "developer", "tenantAdmin", "otherTenantAdmin"] as const;
const WORKING_KEYS = ["developerKey", "tenantAdminKey"] as const;
const ANY_CALLER = [...SIGNED_IN, ...WORKING_KEYS] as const;
const TENANT_A_CALLER = ["noRole", "developer", "tenantAdmin", ...WORKING_KEYS] as const;
const DEVELOPERS = ["developer", "otherTenantAdmin", ...WORKING_KEYS] as const;
const ADMINS = ["tenantAdmin", "otherTenantAdmin"] as const;
const TENANT_A_ADMINS = ["tenantAdmin", "tenantAdminKey"] as const;
const KEY_OWNER = ["developer", "developerKey"] as const;
const NOBODY = [] as const;

const route = (
  source: string,
  method: NonNullable<Entry["method"]>,
  allowed: Entry["allowed"],
  call: Entry["call"],
): Entry => ({ kind: "route", source, method, allowed, call });

/** Methods a resource does not offer: 405 (or 401 first) for everyone. */
const unsupported = (source: string, path: (target: Target) => string, methods: string) =>
  methods
    .split(" ")
    .map((method) =>
      route(source, method as NonNullable<Entry["method"]>, NOBODY, (t) => ({ path: path(t) })),
    );

const V1 = "app/api/v1";
const keyPath = (t: Target) => `/api/v1/api-keys/${t.keyId}`;
const configPath = (t: Target) => `/api/v1/api-keys/configs/${t.tenantId}`;

export const REGISTRY: Entry[] = [
  // The REST API (SPEC §5).
  route(`${V1}/api-keys/route.ts`, "GET", ANY_CALLER, () => ({ path: "/api/v1/api-keys" })),
  route(`${V1}/api-keys/route.ts`, "POST", DEVELOPERS, () => ({
    path: "/api/v1/api-keys",
    body: { description: "Matrix key" },
  })),
  ...unsupported(`${V1}/api-keys/route.ts`, () => "/api/v1/api-keys", "PUT PATCH DELETE"),
  route(`${V1}/api-keys/[id]/route.ts`, "GET", [...KEY_OWNER, ...TENANT_A_ADMINS], (t) => ({
    path: keyPath(t),
  })),
  route(`${V1}/api-keys/[id]/route.ts`, "PATCH", KEY_OWNER, (t) => ({
    path: keyPath(t),
    body: [{ op: "replace", path: "/description", value: "Renamed by the matrix" }],
  })),
  route(`${V1}/api-keys/[id]/route.ts`, "DELETE", [...KEY_OWNER, ...TENANT_A_ADMINS], (t) => ({
    path: keyPath(t),
  })),
  ...unsupported(`${V1}/api-keys/[id]/route.ts`, keyPath, "POST PUT"),
  // Regenerate (SPEC §8): the owner only.
  route(`${V1}/api-keys/[id]/regenerate/route.ts`, "POST", KEY_OWNER, (t) => ({
    path: `${keyPath(t)}/regenerate`,
    body: { gracePeriod: "PT1H" },
  })),
  ...unsupported(
    `${V1}/api-keys/[id]/regenerate/route.ts`,
    (t) => `${keyPath(t)}/regenerate`,
    "GET PUT PATCH DELETE",
  ),
  // Leak reports need no credentials; tokens that are no key's change nothing.
  route(`${V1}/api-keys/leaks/route.ts`, "POST", "public", () => ({
    path: "/api/v1/api-keys/leaks",
    body: { tokens: ["kw_not-a-real-token"] },
  })),
  ...unsupported(
    `${V1}/api-keys/leaks/route.ts`,
    () => "/api/v1/api-keys/leaks",
    "GET PUT PATCH DELETE",
  ),
  route(`${V1}/api-keys/configs/[tenantId]/route.ts`, "GET", TENANT_A_ADMINS, (t) => ({
    path: configPath(t),
  })),
  route(`${V1}/api-keys/configs/[tenantId]/route.ts`, "PATCH", TENANT_A_ADMINS, (t) => ({
    path: configPath(t),
    body: [{ op: "replace", path: "/max_keys_per_user", value: 999 }],
  })),
  ...unsupported(`${V1}/api-keys/configs/[tenantId]/route.ts`, configPath, "POST PUT DELETE"),
  route(`${V1}/audits/route.ts`, "GET", [...ADMINS, "tenantAdminKey"], () => ({
    path: "/api/v1/audits",
  })),
  ...unsupported(`${V1}/audits/route.ts`, () => "/api/v1/audits", "POST PUT PATCH DELETE"),
  route(`${V1}/audits/[id]/route.ts`, "GET", TENANT_A_ADMINS, (t) => ({
    path: `/api/v1/audits/${t.eventId}`,
  })),
  ...unsupported(
    `${V1}/audits/[id]/route.ts`,
    (t) => `/api/v1/audits/${t.eventId}`,
    "POST PUT PATCH DELETE",
  ),
  route(`${V1}/spaces/route.ts`, "GET", ANY_CALLER, () => ({ path: "/api/v1/spaces" })),
  route(`${V1}/spaces/route.ts`, "POST", ANY_CALLER, () => ({
    path: "/api/v1/spaces",
    body: { name: `Matrix space ${Math.random().toString(36).slice(2)}` },
  })),
  ...unsupported(`${V1}/spaces/route.ts`, () => "/api/v1/spaces", "PUT PATCH DELETE"),
  route(`${V1}/spaces/[id]/route.ts`, "GET", TENANT_A_CALLER, (t) => ({
    path: `/api/v1/spaces/${t.spaceId}`,
  })),
  ...unsupported(
    `${V1}/spaces/[id]/route.ts`,
    (t) => `/api/v1/spaces/${t.spaceId}`,
    "POST PUT PATCH DELETE",
  ),
  route(`${V1}/users/me/route.ts`, "GET", ANY_CALLER, () => ({ path: "/api/v1/users/me" })),
  ...unsupported(`${V1}/users/me/route.ts`, () => "/api/v1/users/me", "POST PUT PATCH DELETE"),
  // Qlik's users API (SPEC §10): TenantAdmin, apart from reading yourself.
  route(`${V1}/users/route.ts`, "GET", [...ADMINS, "tenantAdminKey"], () => ({
    path: "/api/v1/users",
  })),
  route(`${V1}/users/route.ts`, "POST", [...ADMINS, "tenantAdminKey"], () => ({
    path: "/api/v1/users",
    body: { email: `matrix-${Math.random().toString(36).slice(2)}@keyward.test`, name: "Matrix" },
  })),
  ...unsupported(`${V1}/users/route.ts`, () => "/api/v1/users", "PUT PATCH DELETE"),
  route(`${V1}/users/[userId]/route.ts`, "GET", TENANT_A_ADMINS, (t) => ({
    path: `/api/v1/users/${t.userId}`,
  })),
  route(`${V1}/users/[userId]/route.ts`, "PATCH", TENANT_A_ADMINS, (t) => ({
    path: `/api/v1/users/${t.userId}`,
    body: [{ op: "replace", path: "/name", value: "Renamed by the matrix" }],
  })),
  route(`${V1}/users/[userId]/route.ts`, "DELETE", TENANT_A_ADMINS, (t) => ({
    path: `/api/v1/users/${t.userId}`,
  })),
  ...unsupported(`${V1}/users/[userId]/route.ts`, (t) => `/api/v1/users/${t.userId}`, "POST PUT"),
  route(`${V1}/users/actions/count/route.ts`, "GET", [...ADMINS, "tenantAdminKey"], () => ({
    path: "/api/v1/users/actions/count",
  })),
  ...unsupported(
    `${V1}/users/actions/count/route.ts`,
    () => "/api/v1/users/actions/count",
    "POST PUT PATCH DELETE",
  ),
  route(`${V1}/users/actions/invite/route.ts`, "POST", [...ADMINS, "tenantAdminKey"], () => ({
    path: "/api/v1/users/actions/invite",
    body: { invitees: [{ email: `matrix-${Math.random().toString(36).slice(2)}@keyward.test` }] },
  })),
  ...unsupported(
    `${V1}/users/actions/invite/route.ts`,
    () => "/api/v1/users/actions/invite",
    "GET PUT PATCH DELETE",
  ),
  route(`${V1}/openapi.json/route.ts`, "GET", "public", () => ({
    path: "/api/v1/openapi.json",
  })),
  ...unsupported(
    `${V1}/openapi.json/route.ts`,
    () => "/api/v1/openapi.json",
    "POST PUT PATCH DELETE",
  ),
  // Paths under /api/v1 that no route answers: the API's 404, whoever asks.
  ...unsupported(
    `${V1}/[...path]/route.ts`,
    () => "/api/v1/no-such-resource",
    "GET POST PUT PATCH DELETE",
  ),
  route("app/api/health/route.ts", "GET", "public", () => ({ path: "/api/health" })),
  // Auth.js's endpoints: reading the session, and a sign-in with a wrong password.
  route("app/api/auth/[...nextauth]/route.ts", "GET", "public", () => ({
    path: "/api/auth/session",
  })),
  route("app/api/auth/[...nextauth]/route.ts", "POST", "public", () => ({
    path: "/api/auth/callback/credentials",
    body: { email: "nobody@keyward.test", password: "wrong" },
  })),

  // Console routes.
  route("app/(console)/admin/events/export/route.ts", "GET", ADMINS, () => ({
    path: "/admin/events/export",
  })),
  route("app/(console)/admin/events/checkpoint/route.ts", "GET", ADMINS, () => ({
    path: "/admin/events/checkpoint",
  })),
  // Clears a cookie the server no longer honours; a live session is left alone.
  route("app/logout/ended/route.ts", "GET", "public", () => ({ path: "/logout/ended" })),

  // Pages: sessions only; a key in an Authorization header is no session.
  ...(
    [
      ["app/page.tsx", "/", "public"],
      ["app/login/page.tsx", "/login", "public"],
      ["app/logout/page.tsx", "/logout", "public"],
      ["app/(console)/docs/api/page.tsx", "/docs/api", "public"],
      ["app/invitation/page.tsx", "/invitation?token=kwi_not-a-real-one", "public"],
      ["app/forgot-password/page.tsx", "/forgot-password", "public"],
      ["app/reset-password/page.tsx", "/reset-password?token=kwr_not-a-real-one", "public"],
      ["app/(console)/profile/password/page.tsx", "/profile/password", SIGNED_IN],
      ["app/(console)/profile/api-keys/(list)/page.tsx", "/profile/api-keys", SIGNED_IN],
      ["app/(console)/profile/sessions/page.tsx", "/profile/sessions", SIGNED_IN],
      ["app/(console)/admin/api-keys/(list)/page.tsx", "/admin/api-keys", ADMINS],
      ["app/(console)/admin/events/page.tsx", "/admin/events", ADMINS],
      ["app/(console)/admin/settings/page.tsx", "/admin/settings", ADMINS],
      ["app/(console)/admin/users/page.tsx", "/admin/users", ADMINS],
    ] as const
  ).map(([source, path, allowed]): Entry => ({
    kind: "page",
    source,
    allowed,
    call: () => ({ path }),
  })),
  {
    kind: "page",
    source: "app/(console)/profile/api-keys/[id]/page.tsx",
    allowed: ["developer"],
    call: (t) => ({ path: `/profile/api-keys/${t.keyId}` }),
  },
  {
    kind: "page",
    source: "app/(console)/admin/api-keys/[id]/page.tsx",
    allowed: ["tenantAdmin"],
    call: (t) => ({ path: `/admin/api-keys/${t.keyId}` }),
  },

  // Server actions: public POST endpoints, each re-checking who calls.
  ...(
    [
      ["generateKeyAction", ["developer", "otherTenantAdmin"], () => [{ description: "Matrix" }]],
      ["renameKeyAction", ["developer"], (t) => [t.keyId, "Renamed by the matrix"]],
      ["deleteKeyAction", ["developer"], (t) => [t.keyId]],
      ["regenerateKeyAction", ["developer"], (t) => [t.keyId, "PT1H"]],
      ["reportLeakedKeys", ADMINS, () => ["nothing that looks like a key"]],
      ["deleteAllKeysAction", SIGNED_IN, () => []],
      ["revokeSelectedKeys", ["tenantAdmin"], (t) => [[t.keyId]]],
      ["saveApiKeySettings", ADMINS, () => [{ maxApiKeyExpiry: "P90D", maxKeysPerUser: "1000" }]],
      ["setApiKeysEnabled", ADMINS, () => [true]],
      [
        "saveSsoSettings",
        ADMINS,
        () => [
          {
            issuer: "https://idp.example.test",
            clientId: "matrix",
            clientSecret: "matrix-secret",
            domains: `matrix-${Math.random().toString(36).slice(2)}.example.test`,
          },
        ],
      ],
      ["disconnectSso", ADMINS, () => []],
      [
        "updateUserRoles",
        ["tenantAdmin"],
        (t) => [t.userId, { developer: true, tenantAdmin: false }],
      ],
      ["updateUserDisabled", ["tenantAdmin"], (t) => [t.userId, true]],
      ["endSessionsOfUser", ["tenantAdmin"], (t) => [t.userId]],
      [
        "inviteUserAction",
        ADMINS,
        () => [
          {
            email: `matrix-${Math.random().toString(36).slice(2)}@keyward.test`,
            name: "",
            developer: true,
            tenantAdmin: false,
          },
        ],
      ],
      ["resendInvitationAction", ["tenantAdmin"], (t) => [t.invitedUserId]],
      ["revokeInvitationAction", ["tenantAdmin"], (t) => [t.invitedUserId]],
      ["passwordResetLinkAction", ["tenantAdmin"], (t) => [t.userId]],
    ] as [string, readonly Caller[], (t: Target) => unknown[]][]
  ).map(([source, allowed, args]): Entry => ({
    kind: "action",
    source,
    allowed,
    call: (t) => ({ path: "", body: args(t) }),
  })),
  {
    kind: "action",
    source: "signOutEverywhereAction",
    allowed: SIGNED_IN,
    call: () => ({ path: "", body: [] }),
    endsOwnSession: true,
  },
  // Anyone may sign out: it ends the caller's own session, if there is one.
  {
    kind: "action",
    source: "signOutAction",
    allowed: "public",
    call: () => ({ path: "", body: [] }),
    endsOwnSession: true,
  },
  // The link is the only credential: anyone may try one, and a wrong one changes nothing.
  {
    kind: "action",
    source: "acceptInvitationAction",
    allowed: "public",
    call: () => ({
      path: "",
      body: {
        token: "kwi_not-a-real-one",
        password: "correct horse battery staple",
        confirm: "correct horse battery staple",
      },
    }),
  },
  // A wrong current password: let through to the password check, which refuses it.
  {
    kind: "action",
    source: "changePasswordAction",
    allowed: SIGNED_IN,
    call: () => ({
      path: "",
      body: {
        current: "not the current password",
        password: "correct horse battery staple",
        confirm: "correct horse battery staple",
      },
    }),
    passedWhen: /Your current password is not right/,
  },
  // Anyone may ask for a reset link; for an address without an account nothing changes.
  {
    kind: "action",
    source: "requestResetAction",
    allowed: "public",
    call: () => ({ path: "", body: { email: "nobody@keyward.test" } }),
  },
  {
    kind: "action",
    source: "resetPasswordAction",
    allowed: "public",
    call: () => ({
      path: "",
      body: {
        token: "kwr_not-a-real-one",
        password: "correct horse battery staple",
        confirm: "correct horse battery staple",
      },
    }),
  },
  // Anyone may start a sign-in through SSO; an email without an identity provider goes nowhere.
  {
    kind: "action",
    source: "startSsoSignIn",
    allowed: "public",
    call: () => ({ path: "", body: { email: "nobody@keyward.test" } }),
  },
  {
    kind: "action",
    source: "signInAction",
    allowed: "public",
    call: () => ({ path: "", body: { email: "nobody@keyward.test", password: "wrong" } }),
  },
];
