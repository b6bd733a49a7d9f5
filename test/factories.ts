import { db } from "@/lib/db";
import { newId } from "@/lib/ids";
import type { Principal } from "@/lib/auth/principal";
import { rolesOf } from "@/lib/auth/principal";

// Any valid argon2 hash will do for users that tests never sign in as.
const PASSWORD_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";

export async function createTenant(
  overrides: Partial<{
    apiKeysEnabled: boolean;
    maxApiKeyExpiry: string;
    maxKeysPerUser: number;
  }> = {},
) {
  const id = newId();
  return db.tenant.create({
    data: {
      id,
      slug: `t-${id}`,
      name: `Tenant ${id.slice(0, 6)}`,
      apiKeysEnabled: true,
      maxApiKeyExpiry: "P90D",
      maxKeysPerUser: 5,
      ...overrides,
    },
  });
}

export async function createUser(
  tenantId: string,
  roles: { admin?: boolean; developer?: boolean } = {},
  overrides: Partial<{ name: string; email: string }> = {},
) {
  const id = newId();
  return db.user.create({
    data: {
      id,
      tenantId,
      email: overrides.email ?? `u-${id}@example.test`,
      name: overrides.name ?? `User ${id.slice(0, 6)}`,
      passwordHash: PASSWORD_HASH,
      isTenantAdmin: !!roles.admin,
      isDeveloper: !!roles.developer,
    },
  });
}

export function principalOf(user: {
  id: string;
  tenantId: string;
  isTenantAdmin: boolean;
  isDeveloper: boolean;
}): Principal {
  return {
    userId: user.id,
    tenantId: user.tenantId,
    roles: rolesOf(user),
    via: "session",
    ip: "127.0.0.1",
    userAgent: "vitest",
  };
}
