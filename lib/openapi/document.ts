import "server-only";
import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject } from "zod-openapi";
import { listApiKeysQuerySchema } from "@/lib/api-keys/list";
import { auditsQuerySchema } from "@/lib/audit/query-params";
import {
  API_KEY_STATUSES,
  createApiKeySchema,
  leakReportSchema,
  regenerateApiKeySchema,
} from "@/lib/api-keys/schemas";
import { apiKeySettingsSchema } from "@/lib/tenants/settings";
import { createSpaceSchema, listSpacesQuerySchema } from "@/lib/spaces/schemas";
import { countUsersQuerySchema, listUsersQuerySchema } from "@/lib/users/directory";

const id = z.string().meta({ example: "65a1f0c2b3d4e5f6a7b8c9d0" });
const time = z.string().meta({ format: "date-time", example: "2026-11-26T11:33:07.551Z" });
const link = z.object({ href: z.string().meta({ format: "uri" }) });
const links = z
  .object({ self: link, next: link.optional(), prev: link.optional() })
  .meta({ id: "Links" });

const apiKey = z
  .object({
    id,
    tenantId: id,
    description: z.string(),
    sub: id.meta({ description: "The owner's user ID." }),
    subType: z.literal("user"),
    status: z.enum(API_KEY_STATUSES),
    created: time,
    createdByUser: id,
    lastUpdated: time,
    expiry: time,
    lastUsed: time.nullable(),
  })
  .meta({ id: "ApiKey" });

const apiKeyWithToken = apiKey
  .extend({ token: z.string().meta({ description: "The key itself, shown this once." }) })
  .meta({ id: "ApiKeyWithToken" });

const regeneratedApiKey = apiKeyWithToken
  .extend({ replaces: id.meta({ description: "The ID of the key this one replaces." }) })
  .meta({ id: "RegeneratedApiKey" });

const space = z
  .object({
    id,
    name: z.string(),
    type: z.string(),
    description: z.string(),
    ownerId: id,
    tenantId: id,
    createdAt: time,
    createdBy: id,
    updatedAt: time,
  })
  .meta({ id: "Space" });

const user = z
  .object({
    id,
    tenantId: id,
    subject: z.string().meta({ description: "Who the user is at their identity provider." }),
    name: z.string(),
    email: z.string(),
    status: z.enum(["active", "invited", "disabled"]),
    assignedRoles: z.array(z.object({ name: z.string() })),
    createdAt: time,
    lastUpdatedAt: time,
  })
  .meta({ id: "User" });

const auditEvent = z
  .object({
    id,
    eventType: z.string().meta({ example: "api-key.created" }),
    eventTime: time,
    tenantId: id,
    userId: id.nullable(),
    source: z.string().meta({ example: "console" }),
    data: z.record(z.string(), z.unknown()),
    extensions: z.object({
      actor: z.object({ sub: id.nullable(), subType: z.literal("user") }),
      apiKeyId: id.optional(),
      ip: z.string().optional(),
      userAgent: z.string().optional(),
    }),
  })
  .meta({ id: "AuditEvent" });

const errors = z
  .object({
    errors: z.array(
      z.object({
        code: z.string(),
        title: z.string(),
        detail: z.string().optional(),
        status: z.string(),
        source: z
          .object({ pointer: z.string().optional(), parameter: z.string().optional() })
          .optional(),
      }),
    ),
    traceId: z.string(),
  })
  .meta({ id: "Errors" });

function jsonPatch(paths: [string, ...string[]], value: z.ZodType, schemaId: string) {
  return z
    .array(z.object({ op: z.literal("replace"), path: z.enum(paths), value }))
    .min(1)
    .meta({ id: schemaId });
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: errors } },
});

/** The refusals every authenticated operation can answer with. */
const refusals = {
  "400": errorResponse("Invalid input; `source` names the parameter or JSON pointer."),
  "401": errorResponse("Missing or refused credentials (one answer for every cause)."),
  "429": {
    ...errorResponse("Too many requests; wait for `Retry-After` seconds."),
    headers: z.object({ "retry-after": z.string().meta({ description: "Seconds to wait." }) }),
  },
};

const body = (schema: z.ZodType) => ({
  required: true,
  content: { "application/json": { schema } },
});

const ok = (schema: z.ZodType, description = "OK") => ({
  description,
  content: { "application/json": { schema } },
});

const noContent = { description: "Done; no body." };

function operation(
  summary: string,
  spec: Omit<ZodOpenApiOperationObject, "responses" | "summary"> & {
    responses: ZodOpenApiOperationObject["responses"];
  },
): ZodOpenApiOperationObject {
  return { summary, ...spec, responses: { ...refusals, ...spec.responses } };
}

const keyIdParams = { path: z.object({ id: id.meta({ description: "API key ID." }) }) };
const tenantParams = { path: z.object({ tenantId: id.meta({ description: "Tenant ID." }) }) };
const userIdParams = { path: z.object({ userId: id.meta({ description: "User ID." }) }) };
const roleReferences = z
  .array(z.object({ name: z.enum(["TenantAdmin", "Developer"]) }))
  .meta({ id: "RoleReferences", example: [{ name: "Developer" }] });
const spaceIdParams = { path: z.object({ id: id.meta({ description: "Space ID." }) }) };

/** Keyward's REST API as an OpenAPI 3.1 document, from the same zod schemas that validate it. */
export function openApiDocument(serverUrl: string) {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Keyward REST API",
      version: "1.0.0",
      description:
        "Qlik Cloud-compatible endpoints for API keys, spaces, users and audit events. Send a key as `Authorization: Bearer <key>`.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key." } },
    },
    paths: {
      "/api-keys": {
        get: operation("List API keys", {
          description: "Your own keys; a TenantAdmin sees every key of the tenant.",
          requestParams: { query: listApiKeysQuerySchema },
          responses: { "200": ok(z.object({ data: z.array(apiKey), links })) },
        }),
        post: operation("Generate an API key", {
          description: "Developers only. The token is in this response and nowhere else.",
          requestBody: body(createApiKeySchema),
          responses: {
            "201": ok(apiKeyWithToken, "Created"),
            "403": errorResponse("Not a Developer, or API keys are disabled for the tenant."),
            "409": errorResponse("The active-key limit is reached."),
            "413": errorResponse("The body is larger than 1 MB."),
            "415": errorResponse("The body is not JSON."),
          },
        }),
      },
      "/api-keys/{id}": {
        get: operation("Get an API key", {
          requestParams: keyIdParams,
          responses: { "200": ok(apiKey), "404": errorResponse("No such key visible to you.") },
        }),
        patch: operation("Rename an API key", {
          description: "The owner only.",
          requestParams: keyIdParams,
          requestBody: body(jsonPatch(["/description"], z.string(), "ApiKeyPatch")),
          responses: { "204": noContent, "404": errorResponse("No such key of yours.") },
        }),
        delete: operation("Delete or revoke an API key", {
          description: "The owner deletes the key; a TenantAdmin revokes another user's key.",
          requestParams: keyIdParams,
          responses: {
            "204": noContent,
            "404": errorResponse("No such key visible to you."),
            "409": errorResponse("Only active keys can be revoked."),
          },
        }),
      },
      "/api-keys/{id}/regenerate": {
        post: operation("Regenerate an API key", {
          description:
            "Keyward extension. The owner replaces an active key with a new one (same description, new ID and token, shown this once); the old key keeps working for `gracePeriod` (PT0S to P7D, default PT24H) at most.",
          requestParams: keyIdParams,
          requestBody: { ...body(regenerateApiKeySchema), required: false },
          responses: {
            "201": ok(regeneratedApiKey, "Created"),
            "403": errorResponse("Not a Developer, or API keys are disabled for the tenant."),
            "404": errorResponse("No such key of yours."),
            "409": errorResponse("Only active keys can be regenerated."),
            "415": errorResponse("The body is not JSON."),
          },
          "x-keyward-extension": true,
        }),
      },
      "/api-keys/leaks": {
        post: {
          summary: "Report leaked API keys",
          description:
            "Keyward extension, as GitHub's credential-revocation API. No credentials needed; limited per client address. Every token that is a Keyward key's is revoked and its owner told; the answer is the same whatever the tokens were.",
          security: [],
          requestBody: body(leakReportSchema),
          responses: {
            "202": ok(z.object({ received: z.number().int() }), "Accepted"),
            "400": errorResponse("Not a list of 1 to 1,000 strings."),
            "413": errorResponse("The body is larger than 1 MB."),
            "415": errorResponse("The body is not JSON."),
            "429": refusals["429"],
          },
          "x-keyward-extension": true,
        },
      },
      "/api-keys/configs/{tenantId}": {
        get: operation("Get the tenant's API-key settings", {
          description: "TenantAdmin only.",
          requestParams: tenantParams,
          responses: {
            "200": ok(apiKeySettingsSchema.meta({ id: "ApiKeysConfig" })),
            "403": errorResponse("Not a TenantAdmin."),
            "404": errorResponse("Not your tenant."),
          },
        }),
        patch: operation("Change the tenant's API-key settings", {
          description: "TenantAdmin only. Applies to keys generated afterwards.",
          requestParams: tenantParams,
          requestBody: body(
            jsonPatch(
              [
                "/api_keys_enabled",
                "/max_api_key_expiry",
                "/max_keys_per_user",
                "/revoke_unused_after_days",
              ],
              z.union([z.boolean(), z.string(), z.number(), z.null()]),
              "ApiKeysConfigPatch",
            ),
          ),
          responses: {
            "204": noContent,
            "403": errorResponse("Not a TenantAdmin."),
            "404": errorResponse("Not your tenant."),
          },
        }),
      },
      "/spaces": {
        get: operation("List spaces", {
          requestParams: { query: listSpacesQuerySchema },
          responses: {
            "200": ok(
              z.object({ data: z.array(space), meta: z.object({ count: z.number() }), links }),
            ),
          },
        }),
        post: operation("Create a space", {
          requestBody: body(createSpaceSchema),
          responses: {
            "201": ok(space, "Created"),
            "409": errorResponse("A space of that name exists."),
          },
        }),
      },
      "/spaces/{id}": {
        get: operation("Get a space", {
          requestParams: spaceIdParams,
          responses: { "200": ok(space), "404": errorResponse("No such space in your tenant.") },
        }),
      },
      "/audits": {
        get: operation("List the tenant's audit events", {
          description: "TenantAdmin only. Newest first unless `sort=+eventTime`.",
          requestParams: { query: auditsQuerySchema },
          responses: {
            "200": ok(z.object({ data: z.array(auditEvent), links })),
            "403": errorResponse("Not a TenantAdmin."),
          },
        }),
      },
      "/audits/{id}": {
        get: operation("Get one audit event", {
          description: "TenantAdmin only.",
          requestParams: { path: z.object({ id }) },
          responses: {
            "200": ok(auditEvent),
            "404": errorResponse("No such event in your tenant."),
          },
        }),
      },
      "/users/me": {
        get: operation("Get the current user", { responses: { "200": ok(user) } }),
      },
      "/users": {
        get: operation("List the tenant's users", {
          description: "TenantAdmin only.",
          requestParams: { query: listUsersQuerySchema },
          responses: {
            "200": ok(
              z.object({ data: z.array(user), links, totalResults: z.number().optional() }),
            ),
            "403": errorResponse("Not a TenantAdmin."),
          },
        }),
        post: operation("Create a user", {
          description:
            "TenantAdmin only. The user is `invited`: they join through an invitation link, mailed where SMTP is set and copyable from the console.",
          requestBody: body(
            z.object({
              email: z.string().meta({ format: "email" }),
              name: z.string().optional(),
              subject: z.string().optional(),
              assignedRoles: roleReferences.optional(),
              status: z.literal("invited").optional(),
            }),
          ),
          responses: {
            "201": ok(user, "Created"),
            "403": errorResponse("Not a TenantAdmin."),
            "409": errorResponse("The email address is taken."),
          },
        }),
      },
      "/users/actions/count": {
        get: operation("Count the tenant's users", {
          description: "TenantAdmin only.",
          requestParams: { query: countUsersQuerySchema },
          responses: {
            "200": ok(z.object({ total: z.number() })),
            "403": errorResponse("Not a TenantAdmin."),
          },
        }),
      },
      "/users/actions/invite": {
        post: operation("Invite people", {
          description:
            "TenantAdmin only. One result per invitee, in order. `resend` gives a pending invitee a new link.",
          requestBody: body(
            z.object({
              invitees: z
                .array(
                  z.object({
                    email: z.string().meta({ format: "email" }),
                    name: z.string().optional(),
                    resend: z.boolean().optional(),
                  }),
                )
                .min(1)
                .max(100),
            }),
          ),
          responses: {
            "200": ok(
              z.object({
                data: z.array(
                  z.union([
                    z.object({
                      email: z.string(),
                      status: z.enum(["ok", "exists"]),
                      subject: z.string(),
                      userId: id,
                    }),
                    z.object({
                      email: z.string(),
                      status: z.literal("error"),
                      code: z.string(),
                      title: z.string(),
                    }),
                  ]),
                ),
              }),
            ),
            "403": errorResponse("Not a TenantAdmin."),
          },
        }),
      },
      "/users/{userId}": {
        get: operation("Get a user", {
          description: "Yourself, or anyone of the tenant for a TenantAdmin.",
          requestParams: userIdParams,
          responses: { "200": ok(user), "404": errorResponse("No such user in your tenant.") },
        }),
        patch: operation("Change a user", {
          description:
            "TenantAdmin only: `/name`, `/assignedRoles` and `/status` (`active` or `disabled`), all or nothing. The tenant keeps an active admin.",
          requestParams: userIdParams,
          requestBody: body(
            z
              .array(
                z.object({
                  op: z.literal("replace"),
                  path: z.enum(["/name", "/assignedRoles", "/status"]),
                  value: z.union([z.string(), roleReferences]),
                }),
              )
              .min(1)
              .meta({ id: "UserPatch" }),
          ),
          responses: {
            "204": noContent,
            "403": errorResponse("Not a TenantAdmin."),
            "404": errorResponse("No such user in your tenant."),
            "409": errorResponse("The change would leave the tenant without an active admin."),
          },
        }),
        delete: operation("Delete a user", {
          description:
            "TenantAdmin only. Their keys and sessions go with them; their events remain. Not yourself, not the last active admin, not an owner of spaces.",
          requestParams: userIdParams,
          responses: {
            "204": noContent,
            "403": errorResponse("Not a TenantAdmin."),
            "404": errorResponse("No such user in your tenant."),
            "409": errorResponse("The user cannot be deleted now; the message says why."),
          },
        }),
      },
    },
  });
}
