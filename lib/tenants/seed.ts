import "server-only";
import { createApiKey, revokeApiKeys } from "@/lib/api-keys/service";
import { hashPassword } from "@/lib/auth/password";
import { rolesOf, type Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db";
import { newId } from "@/lib/ids";
import { DEMO_TENANTS, demoPassword } from "./demo-data";

interface SampleKey {
  email: string;
  description: string;
  expiry: string;
  revoke?: boolean;
  /** Requests per hour over the last day, so that Events has usage to chart. */
  usage?: { perHour: number; lastHour?: number };
}

// dev@acme.test keeps one key, well under Acme's limit of 5, so that it can try everything.
const ACME_SAMPLE_KEYS: SampleKey[] = [
  {
    email: "admin@acme.test",
    description: "Nightly finance export",
    expiry: "P90D",
    usage: { perHour: 40 },
  },
  // A burst far above its usual rate: shown as unusual activity in Events and API keys.
  {
    email: "admin@acme.test",
    description: "CI pipeline",
    expiry: "P30D",
    usage: { perHour: 6, lastHour: 480 },
  },
  { email: "admin@acme.test", description: "Dashboard embed", expiry: "P5D" },
  {
    email: "admin@acme.test",
    description: "Old reporting integration",
    expiry: "P30D",
    revoke: true,
  },
  { email: "dev@acme.test", description: "Local development", expiry: "P30D" },
];

/**
 * Sample keys through the domain itself, so that they carry real events; tokens are thrown away.
 * Only into a tenant without keys, so that a second run adds nothing.
 */
async function seedSampleKeys(db: Db, tenantId: string, samples: SampleKey[]): Promise<void> {
  if ((await db.apiKey.count({ where: { tenantId } })) > 0) return;
  const users = await db.user.findMany({
    where: { tenantId, email: { in: samples.map((sample) => sample.email) } },
  });
  const principals = new Map<string, Principal>(
    users.map((user) => [
      user.email,
      {
        userId: user.id,
        tenantId,
        roles: rolesOf(user),
        via: "session",
        userAgent: "keyward-seed",
      },
    ]),
  );
  for (const sample of samples) {
    const principal = principals.get(sample.email);
    if (!principal) continue;
    const { key } = await createApiKey(principal, {
      description: sample.description,
      expiry: sample.expiry,
    });
    if (sample.revoke) await revokeApiKeys(principal, [key.id]);
    if (sample.usage) await seedUsage(db, tenantId, key.id, sample.usage);
  }
}

const HOUR = 3_600_000;

async function seedUsage(
  db: Db,
  tenantId: string,
  apiKeyId: string,
  usage: NonNullable<SampleKey["usage"]>,
): Promise<void> {
  const current = Math.floor(Date.now() / HOUR) * HOUR;
  await db.apiKeyUsage.createMany({
    data: Array.from({ length: 24 }, (_, hoursAgo) => {
      const bucketStart = new Date(current - hoursAgo * HOUR);
      // A little daily rhythm, so that the chart looks like traffic rather than a flat line.
      const requests =
        hoursAgo === 0 && usage.lastHour !== undefined
          ? usage.lastHour
          : Math.round(usage.perHour * (1 + 0.5 * Math.sin(hoursAgo / 4)));
      return {
        apiKeyId,
        tenantId,
        bucketStart,
        requests,
        lastUsedAt: bucketStart,
        lastIp: "203.0.113.10",
      };
    }),
  });
  await db.apiKey.update({
    where: { id: apiKeyId },
    data: { lastUsedAt: new Date(), lastUsedIp: "203.0.113.10" },
  });
}

/** Seeds SPEC §2's demo data. Idempotent: a second run finds every row and changes nothing. */
export async function seedDemoData(db: Db): Promise<void> {
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
    // One hash per user, each with its own salt, so that equal passwords never look equal.
    const passwordHashes = await Promise.all(demo.users.map(() => hashPassword(demoPassword())));
    const owners: string[] = [];
    for (const [i, user] of demo.users.entries()) {
      const row = await db.user.upsert({
        where: { email: user.email },
        update: {},
        create: {
          id: newId(),
          tenantId: tenant.id,
          email: user.email,
          name: user.name,
          passwordHash: passwordHashes[i],
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
    if (demo.slug === "acme") await seedSampleKeys(db, tenant.id, ACME_SAMPLE_KEYS);
  }
}
