import "server-only";
import { hashPassword } from "@/lib/auth/password";
import type { Db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { DEMO_TENANTS, demoPassword } from "./demo-data";

/** Seeds SPEC §2's demo data. Idempotent: a second run finds every row and changes nothing. */
export async function seedDemoData(db: Db): Promise<void> {
  const passwordHash = await hashPassword(demoPassword());
  for (const demo of DEMO_TENANTS) {
    const tenant = await db.tenant.upsert({
      where: { slug: demo.slug },
      update: {},
      create: {
        id: newId(),
        slug: demo.slug,
        name: demo.name,
        apiKeysEnabled: demo.apiKeysEnabled,
        maxApiKeyExpiry: demo.maxApiKeyExpiry,
        maxKeysPerUser: demo.maxKeysPerUser,
      },
    });
    const owners: string[] = [];
    for (const user of demo.users) {
      const row = await db.user.upsert({
        where: { email: user.email },
        update: {},
        create: {
          id: newId(),
          tenantId: tenant.id,
          email: user.email,
          name: user.name,
          passwordHash,
          isTenantAdmin: user.isTenantAdmin,
          isDeveloper: user.isDeveloper,
        },
      });
      owners.push(row.id);
    }
    for (const space of demo.spaces) {
      await db.space.upsert({
        where: { tenantId_name: { tenantId: tenant.id, name: space.name } },
        update: {},
        create: {
          id: newId(),
          tenantId: tenant.id,
          ownerId: owners[0],
          createdById: owners[0],
          ...space,
        },
      });
    }
  }
}
