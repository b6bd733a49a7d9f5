import type { ApiKeyStatus } from "./schemas";
import {
  apiKeyInactiveReason,
  apiKeyStatus,
  type ApiKeyInactiveReason,
  type KeyUseConditions,
} from "./status";

interface ApiKeyRow {
  id: string;
  tenantId: string;
  ownerId: string;
  description: string;
  hint: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** What a console view of a key reads of its owner. */
export const KEY_OWNER_SELECT = {
  name: true,
  email: true,
  disabledAt: true,
  isDeveloper: true,
} as const;

/** A key as the REST API shows it (Qlik Cloud's shape). Never carries a digest. */
export interface ApiKeyDto {
  id: string;
  tenantId: string;
  description: string;
  sub: string;
  subType: "user";
  status: ApiKeyStatus;
  created: string;
  createdByUser: string;
  lastUpdated: string;
  expiry: string;
  lastUsed: string | null;
}

/** A key just generated, as the console's dialog shows it. */
export interface GeneratedKey {
  id: string;
  description: string;
  expiry: string;
  /** Shown once in the dialog; never stored, logged or put in a URL. */
  token: string;
}

export interface RegeneratedKey extends GeneratedKey {
  /** The ID of the key it replaces. */
  replaces: string;
}

/** A key as the console shows it. */
export interface ApiKeyView {
  id: string;
  description: string;
  hint: string;
  ownerId: string;
  ownerName: string;
  ownerEmail: string;
  status: ApiKeyStatus;
  /** Set when an active key is refused all the same, and why (its owner or tenant). */
  inactiveReason?: ApiKeyInactiveReason | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function toApiKeyDto(key: ApiKeyRow, now = new Date()): ApiKeyDto {
  return {
    id: key.id,
    tenantId: key.tenantId,
    description: key.description,
    sub: key.ownerId,
    subType: "user",
    status: apiKeyStatus(key, now),
    created: key.createdAt.toISOString(),
    createdByUser: key.ownerId,
    lastUpdated: key.updatedAt.toISOString(),
    expiry: key.expiresAt.toISOString(),
    lastUsed: key.lastUsedAt?.toISOString() ?? null,
  };
}

export function toApiKeyView(
  key: ApiKeyRow & { owner: { name: string; email: string } & KeyUseConditions["owner"] },
  apiKeysEnabled: boolean,
  now = new Date(),
): ApiKeyView {
  const status = apiKeyStatus(key, now);
  return {
    id: key.id,
    description: key.description,
    hint: key.hint,
    ownerId: key.ownerId,
    ownerName: key.owner.name,
    ownerEmail: key.owner.email,
    status,
    inactiveReason:
      status === "active" ? apiKeyInactiveReason({ owner: key.owner, apiKeysEnabled }) : null,
    createdAt: key.createdAt.toISOString(),
    updatedAt: key.updatedAt.toISOString(),
    expiresAt: key.expiresAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
