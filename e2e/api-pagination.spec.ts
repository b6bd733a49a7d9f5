import { expect, test } from "@playwright/test";
import { e2eDb } from "./fixtures";
import { bearer, createTenant, insertKey, userWithKey } from "./api-helpers";

interface Page {
  data: { id: string; status: string; description: string; created: string }[];
  links: { self: { href: string }; next?: { href: string }; prev?: { href: string } };
}

test.describe("REST pagination", () => {
  test("walks 250 keys forward and back without gaps or repeats, in every sort", async ({
    request,
  }) => {
    test.setTimeout(180_000);
    const slug = await createTenant();
    const admin = await userWithKey(slug, { admin: true, developer: true });
    const owners = [admin, await userWithKey(slug), await userWithKey(slug)];
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 247; i++) {
      const owner = owners[i % 3];
      await insertKey(owner, {
        // Equal creation times and descriptions in groups, so ties must be broken by ID.
        createdAt: new Date(base + Math.floor(i / 4) * 1000),
        description: `key ${String(i % 50).padStart(2, "0")}`,
        expiresAt: new Date(i % 5 === 0 ? base : Date.now() + 86_400_000),
        revoked: i % 7 === 0,
      });
    }
    const all = await e2eDb().apiKey.findMany({
      where: { tenantId: admin.tenantId },
      select: { id: true },
    });
    expect(all).toHaveLength(250);
    const headers = bearer(admin.key.token);

    for (const sort of [
      "-created",
      "+created",
      "description",
      "-status",
      "status",
      "sub",
      "-createdByUser",
    ]) {
      const forward: string[] = [];
      const pages: Page[] = [];
      let url: string | undefined = `/api/v1/api-keys?limit=9&sort=${encodeURIComponent(sort)}`;
      while (url) {
        const response = await request.get(url, { headers });
        expect(response.status(), url).toBe(200);
        const page = (await response.json()) as Page;
        expect(page.data.length).toBeLessThanOrEqual(9);
        pages.push(page);
        forward.push(...page.data.map((key) => key.id));
        url = page.links.next?.href;
      }
      expect(pages[0].links.prev, sort).toBeUndefined();
      expect(new Set(forward).size, sort).toBe(250);
      expect(forward.length, sort).toBe(250);

      const backward: string[] = [];
      let back: string | undefined = pages.at(-1)!.links.self.href;
      while (back) {
        const page = (await (await request.get(back, { headers })).json()) as Page;
        backward.unshift(...page.data.map((key) => key.id));
        back = page.links.prev?.href;
      }
      expect(backward, sort).toEqual(forward);
    }
  });

  test("sort and limit are checked", async ({ request }) => {
    const dev = await userWithKey("acme");
    const headers = bearer(dev.key.token);
    for (const [query, parameter] of [
      ["sort=-owner", "sort"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=ten", "limit"],
      ["status=gone", "status"],
      ["startingAfter=nope", "startingAfter"],
      [`startingAfter=${"0".repeat(24)}`, "startingAfter"],
    ]) {
      const response = await request.get(`/api/v1/api-keys?${query}`, { headers });
      expect(response.status(), query).toBe(400);
      expect((await response.json()).errors[0].source, query).toEqual({ parameter });
    }
    const page = await request.get("/api/v1/api-keys", { headers });
    const body = (await page.json()) as Page;
    expect(body.links.self.href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/api-keys$/);
    expect(body.data.map((key) => key.id)).toEqual([dev.key.id]);
  });
});
