import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/service";
import { databaseUrl } from "@/lib/db/url";
import { rawDatabase, testEngine, type RawDatabase } from "@/test/engine";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { ChangeListener } from "./change-listener";
import { RowCache } from "./row-cache";
import { writeUsage } from "./usage";

/** Resolves once `listener` is (or is no longer) listening: it tells its subscribers either way. */
function whenListening(listener: ChangeListener, listening = true): Promise<void> {
  return new Promise((resolve) => {
    if (listener.isListening === listening) return resolve();
    listener.subscribe(() => {
      if (listener.isListening === listening) resolve();
    });
  });
}

describe.runIf(testEngine === "postgres")("the credential cache (PostgreSQL only)", () => {
  // A name of its own, so that this listener's backend can be found and cut off.
  const applicationName = `keyward_cache_test_${randomBytes(4).toString("hex")}`;
  let listener: ChangeListener;
  let cache: RowCache<string>;
  let otherInstance: RawDatabase;
  let tenantId: string;
  let loads: number;

  /** Reads the tenant's name as a request would, through a connection of its own; counted. */
  async function tenantName(): Promise<string | undefined> {
    return cache.get(tenantId, async () => {
      loads += 1;
      const [row] = await otherInstance.all<{ name: string }>(
        `SELECT "name" FROM "Tenant" WHERE "id" = ?`,
        tenantId,
      );
      return row?.name;
    });
  }

  function rename(name: string): Promise<void> {
    return otherInstance.run(`UPDATE "Tenant" SET "name" = ? WHERE "id" = ?`, name, tenantId);
  }

  beforeEach(async () => {
    const url = new URL(databaseUrl());
    url.searchParams.set("application_name", applicationName);
    listener = new ChangeListener(url.toString());
    cache = new RowCache(listener);
    otherInstance = await rawDatabase();
    tenantId = (await createTenant()).id;
    loads = 0;
    listener.start();
    await whenListening(listener);
  });

  afterEach(async () => {
    await listener.stop();
    await otherInstance.close();
  });

  it("keeps a row while nothing changed, a usage flush included", async () => {
    const owner = await createUser(tenantId, { developer: true });
    const { key } = await createApiKey(principalOf(owner), { description: "busy key" });
    expect(await tenantName()).toMatch(/^Tenant /);
    expect(await tenantName()).toMatch(/^Tenant /);
    // A flush moves only the key's last use, which is not a change worth a notification.
    const now = new Date();
    await writeUsage([
      { apiKeyId: key.id, tenantId, bucketStart: now, requests: 1, lastUsedAt: now, lastIp: null },
    ]);
    expect(await tenantName()).toMatch(/^Tenant /);
    expect(loads).toBe(1);
  });

  it("drops a row when another connection commits a change, and reads it fresh on the very next call", async () => {
    expect(await tenantName()).toMatch(/^Tenant /);
    await rename("Renamed elsewhere");
    expect(await tenantName()).toBe("Renamed elsewhere");
    expect(loads).toBe(2);
    // Kept again once read.
    expect(await tenantName()).toBe("Renamed elsewhere");
    expect(loads).toBe(2);
  });

  it("keeps nothing while the listener is down: every call reads the database", async () => {
    await tenantName();
    await listener.stop();
    expect(listener.isListening).toBe(false);
    await rename("Renamed while deaf");
    expect(await tenantName()).toBe("Renamed while deaf");
    expect(await tenantName()).toBe("Renamed while deaf");
    expect(await tenantName()).toBe("Renamed while deaf");
    expect(loads).toBe(4);
  });

  it("drops everything when its connection is cut, and reads afresh once it listens again", async () => {
    expect(await tenantName()).toMatch(/^Tenant /);
    const down = whenListening(listener, false);
    const [{ cut }] = await otherInstance.all<{ cut: boolean }>(
      `SELECT bool_or(pg_terminate_backend(pid)) AS cut FROM pg_stat_activity
       WHERE application_name = ?`,
      applicationName,
    );
    expect(cut).toBe(true);
    await down;
    expect(await tenantName()).toMatch(/^Tenant /);
    expect(loads).toBe(2);
    // Perhaps nobody hears this change: what was kept before must not be trusted after.
    await rename("Renamed while cut off");
    await whenListening(listener);
    expect(await tenantName()).toBe("Renamed while cut off");
    expect(await tenantName()).toBe("Renamed while cut off");
    expect(loads).toBe(3);
  });
});
