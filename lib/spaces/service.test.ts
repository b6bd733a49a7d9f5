import { describe, expect, it } from "vitest";
import { createTenant, createUser, principalOf } from "@/test/factories";
import { createSpace, listSpaces } from "./service";

async function tenantWithSpaces(names: string[]) {
  const tenant = await createTenant();
  const principal = principalOf(await createUser(tenant.id, { developer: true }));
  for (const name of names) await createSpace(principal, { name });
  return principal;
}

describe("listing spaces by name", () => {
  it("finds any part of the name in any case, page by page, forwards and back", async () => {
    const principal = await tenantWithSpaces(["Finance", "Griffin", "Marketing", "Refinery"]);
    const names = (page: { data: { name: string }[] }) => page.data.map((space) => space.name);

    const first = await listSpaces(principal, { limit: 2, name: "FIN" });
    expect(names(first)).toEqual(["Finance", "Griffin"]);
    expect(first).toMatchObject({ count: 3, nextAfter: "Griffin", prevBefore: undefined });

    const second = await listSpaces(principal, { limit: 2, name: "fIn", after: first.nextAfter });
    expect(names(second)).toEqual(["Refinery"]);
    expect(second).toMatchObject({ count: 3, nextAfter: undefined, prevBefore: "Refinery" });

    const back = await listSpaces(principal, { limit: 2, name: "Fin", before: second.prevBefore });
    expect(names(back)).toEqual(["Finance", "Griffin"]);
    expect(back).toMatchObject({ nextAfter: "Griffin", prevBefore: undefined });
  });

  it("takes a backslash in the name as text, and finds nothing of another tenant", async () => {
    const principal = await tenantWithSpaces(["Back\\slash", "Backslash"]);
    await tenantWithSpaces(["Back\\slash"]);
    const found = await listSpaces(principal, { limit: 10, name: "K\\S" });
    expect(found.data.map((space) => space.name)).toEqual(["Back\\slash"]);
    expect(found.count).toBe(1);
  });
});
