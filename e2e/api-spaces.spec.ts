import { expect, test } from "@playwright/test";
import { bearer, createTenant, userWithKey } from "./api-helpers";

interface SpacePage {
  data: Record<string, unknown>[];
  meta: { count: number };
  links: { self: { href: string }; next?: { href: string }; prev?: { href: string } };
}

test.describe("REST /api/v1/spaces", () => {
  test("creates, lists with cursors and name filter, reads, refuses duplicates", async ({
    request,
  }) => {
    const slug = await createTenant();
    const user = await userWithKey(slug);
    const headers = bearer(user.key.token);
    for (let i = 0; i < 23; i++) {
      const created = await request.post("/api/v1/spaces", {
        headers,
        data: { name: `Space ${String(i).padStart(2, "0")}`, description: "Reports" },
      });
      expect(created.status()).toBe(201);
    }
    const duplicate = await request.post("/api/v1/spaces", { headers, data: { name: "Space 05" } });
    expect(duplicate.status()).toBe(409);
    const invalid = await request.post("/api/v1/spaces", { headers, data: { name: "" } });
    expect(invalid.status()).toBe(400);
    expect((await invalid.json()).errors[0].source).toEqual({ pointer: "/name" });

    const names: string[] = [];
    let url: string | undefined = "/api/v1/spaces";
    let first: SpacePage | undefined;
    while (url) {
      const page = (await (await request.get(url, { headers })).json()) as SpacePage;
      first ??= page;
      expect(page.meta.count).toBe(23);
      names.push(...page.data.map((space) => String(space.name)));
      url = page.links.next?.href;
    }
    expect(first!.data).toHaveLength(10);
    expect(Object.keys(first!.data[0]).sort()).toEqual(
      [
        "createdAt",
        "createdBy",
        "description",
        "id",
        "name",
        "ownerId",
        "tenantId",
        "type",
        "updatedAt",
      ].sort(),
    );
    expect(first!.data[0]).toMatchObject({ type: "shared", ownerId: user.id, createdBy: user.id });
    expect(names).toEqual(
      Array.from({ length: 23 }, (_, i) => `Space ${String(i).padStart(2, "0")}`),
    );

    const second = (await (
      await request.get(first!.links.next!.href, { headers })
    ).json()) as SpacePage;
    const backToFirst = (await (
      await request.get(second.links.prev!.href, { headers })
    ).json()) as SpacePage;
    expect(backToFirst.data.map((space) => space.id)).toEqual(first!.data.map((space) => space.id));

    const filtered = (await (
      await request.get("/api/v1/spaces?name=Space%201", { headers })
    ).json()) as SpacePage;
    expect(filtered.meta.count).toBe(10);
    expect(filtered.links.next).toBeUndefined();

    const one = first!.data[0];
    const got = await request.get(`/api/v1/spaces/${one.id}`, { headers });
    expect(await got.json()).toEqual(one);

    const bad = await request.get("/api/v1/spaces?next=garbage", { headers });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).errors[0].source).toEqual({ parameter: "next" });

    const stranger = await userWithKey("acme");
    expect(
      (
        await request.get(`/api/v1/spaces/${one.id}`, { headers: bearer(stranger.key.token) })
      ).status(),
    ).toBe(404);
    const theirs = (await (
      await request.get("/api/v1/spaces?limit=100", { headers: bearer(stranger.key.token) })
    ).json()) as SpacePage;
    expect(theirs.data.map((space) => space.id)).not.toContain(one.id);
    const reverse = theirs.data[0];
    expect((await request.get(`/api/v1/spaces/${reverse.id}`, { headers })).status()).toBe(404);
  });
});
