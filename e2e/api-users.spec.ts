// Qlik's users API on Keyward (SPEC §10): the contract, tenant rules and Qlik's own client.
import { expect, test } from "@playwright/test";
import { setDefaultHostConfig } from "@qlik/api/auth";
import {
  countUsers,
  createUser as qlikCreateUser,
  deleteUser as qlikDeleteUser,
  getUser as qlikGetUser,
  getUsers,
  inviteUsers,
  patchUser,
} from "@qlik/api/users";
import { bearer, createTenant, userWithKey } from "./api-helpers";
import { createUser, e2eDb } from "./fixtures";

interface UserBody {
  id: string;
  tenantId: string;
  subject: string;
  name: string;
  email: string;
  status: string;
  assignedRoles: { name: string }[];
}

interface UserList {
  data: UserBody[];
  links: { self: { href: string }; next?: { href: string }; prev?: { href: string } };
  totalResults?: number;
}

const unique = () => Math.random().toString(36).slice(2, 10);

test.describe("/api/v1/users", () => {
  test("an admin lists the tenant's users with filters, sorts and pages walked both ways", async ({
    request,
  }) => {
    const slug = await createTenant();
    const admin = await userWithKey(slug, { admin: true, developer: true });
    const others = [];
    for (let i = 0; i < 7; i++) others.push(await createUser(slug, { developer: i % 2 === 0 }));
    const headers = bearer(admin.key.token);

    const all = (await (
      await request.get("/api/v1/users?limit=100&totalResults=true", { headers })
    ).json()) as UserList;
    expect(all.totalResults).toBe(8);
    expect(all.data.map((user) => user.name)).toEqual(
      [admin, ...others].map((user) => user.name).sort(),
    );
    expect(all.data[0]).toMatchObject({ tenantId: admin.tenantId, status: "active" });
    expect(all.data[0].subject).toMatch(/^keyward\|/);

    // Three at a time, forwards to the end and back again, by email descending.
    const forwards: string[] = [];
    let page = (await (
      await request.get("/api/v1/users?limit=3&sort=-email", { headers })
    ).json()) as UserList;
    forwards.push(...page.data.map((user) => user.email));
    const pages = [page];
    while (page.links.next) {
      page = (await (await request.get(page.links.next.href, { headers })).json()) as UserList;
      forwards.push(...page.data.map((user) => user.email));
      pages.push(page);
    }
    expect(forwards).toEqual(
      [admin, ...others]
        .map((user) => user.email)
        .sort()
        .reverse(),
    );
    expect(pages.map((p) => p.data.length)).toEqual([3, 3, 2]);
    const backwards: string[] = [];
    while (page.links.prev) {
      page = (await (await request.get(page.links.prev.href, { headers })).json()) as UserList;
      backwards.unshift(...page.data.map((user) => user.email));
    }
    expect(backwards).toEqual(forwards.slice(0, 6));
    expect(page.links.prev).toBeUndefined();

    const filtered = async (filter: string) => {
      const response = await request.get(
        `/api/v1/users?limit=100&filter=${encodeURIComponent(filter)}`,
        {
          headers,
        },
      );
      expect(response.status(), filter).toBe(200);
      return ((await response.json()) as UserList).data.map((user) => user.id).sort();
    };
    const developers = [admin, ...others.filter((_, i) => i % 2 === 0)].map((user) => user.id);
    expect(await filtered('assignedRoles.name eq "Developer"')).toEqual(developers.sort());
    expect(await filtered(`email eq "${others[3].email.toUpperCase()}"`)).toEqual([others[3].id]);
    expect(await filtered(`id eq "${others[1].id}" or id eq "${others[2].id}"`)).toEqual(
      [others[1].id, others[2].id].sort(),
    );
    expect(
      await filtered(
        `(assignedRoles.name eq "TenantAdmin" or NAME CO "${others[4].name.slice(-6)}") and status eq "active"`,
      ),
    ).toEqual([admin.id, others[4].id].sort());
    expect(await filtered('status eq "invited"')).toEqual([]);

    for (const bad of [
      "name eq",
      'nickname eq "x"',
      'name sw "x"',
      'status co "a"',
      '(name eq "x"',
      'name eq "x" and',
      'name eq "x',
    ]) {
      const response = await request.get(`/api/v1/users?filter=${encodeURIComponent(bad)}`, {
        headers,
      });
      expect(response.status(), bad).toBe(400);
      expect(
        ((await response.json()) as { errors: { source?: unknown }[] }).errors[0].source,
      ).toEqual({
        parameter: "filter",
      });
    }
    expect((await request.get("/api/v1/users?sort=password", { headers })).status()).toBe(400);
    expect((await request.get("/api/v1/users?next=garbage", { headers })).status()).toBe(400);

    const count = await request.get(
      `/api/v1/users/actions/count?filter=${encodeURIComponent('assignedRoles.name eq "Developer"')}`,
      { headers },
    );
    expect(await count.json()).toEqual({ total: developers.length });
  });

  test("non-admins read only themselves, other tenants' users are not found, and the last admin stays", async ({
    request,
  }) => {
    const slug = await createTenant();
    const admin = await userWithKey(slug, { admin: true, developer: true });
    const dev = await userWithKey(slug, { developer: true });
    const other = await userWithKey(await createTenant(), { admin: true, developer: true });

    expect((await request.get("/api/v1/users", { headers: bearer(dev.key.token) })).status()).toBe(
      403,
    );
    expect(
      (await request.get(`/api/v1/users/${dev.id}`, { headers: bearer(dev.key.token) })).status(),
    ).toBe(200);
    expect(
      (await request.get(`/api/v1/users/${admin.id}`, { headers: bearer(dev.key.token) })).status(),
    ).toBe(403);
    const patchByDev = await request.patch(`/api/v1/users/${dev.id}`, {
      headers: bearer(dev.key.token),
      data: [{ op: "replace", path: "/name", value: "Me" }],
    });
    expect(patchByDev.status()).toBe(403);
    for (const [method, data] of [
      ["get", undefined],
      ["patch", [{ op: "replace", path: "/name", value: "Taken over" }]],
      ["delete", undefined],
    ] as const) {
      const response = await request.fetch(`/api/v1/users/${dev.id}`, {
        method,
        headers: bearer(other.key.token),
        data,
      });
      expect(response.status(), method).toBe(404);
    }
    expect((await e2eDb().user.findUniqueOrThrow({ where: { id: dev.id } })).name).toBe(dev.name);

    // JSON Patch errors point at the operation.
    const patch = (userId: string, body: unknown) =>
      request.patch(`/api/v1/users/${userId}`, { headers: bearer(admin.key.token), data: body });
    for (const [body, pointer] of [
      [{ op: "replace" }, ""],
      [[{ op: "add", path: "/name", value: "x" }], "/0/op"],
      [[{ op: "replace", path: "/email", value: "x@y.z" }], "/0/path"],
      [[{ op: "replace", path: "/assignedRoles", value: [{ name: "Owner" }] }], "/0/value"],
      [[{ op: "replace", path: "/status", value: "deleted" }], "/0/value"],
      [[{ op: "replace", path: "/name", value: "" }], "/0/value"],
    ] as const) {
      const response = await patch(dev.id, body);
      expect(response.status(), JSON.stringify(body)).toBe(400);
      expect(
        ((await response.json()) as { errors: { source?: { pointer?: string } }[] }).errors[0]
          .source?.pointer,
      ).toBe(pointer);
    }

    // The tenant keeps an active admin: the admin cannot demote, disable or delete themselves, and
    // it is all or nothing: a good rename beside a refused role change changes neither.
    const lastAdmin = await patch(admin.id, [
      { op: "replace", path: "/name", value: "Renamed" },
      { op: "replace", path: "/assignedRoles", value: [{ name: "Developer" }] },
    ]);
    expect(lastAdmin.status()).toBe(409);
    expect((await e2eDb().user.findUniqueOrThrow({ where: { id: admin.id } })).name).toBe(
      admin.name,
    );
    const second = await createUser(slug, { admin: true });
    expect(
      (
        await request.delete(`/api/v1/users/${admin.id}`, { headers: bearer(admin.key.token) })
      ).status(),
    ).toBe(409);
    expect(
      (await patch(second.id, [{ op: "replace", path: "/status", value: "disabled" }])).status(),
    ).toBe(204);
    // With the second admin disabled, the first is the last active one.
    const demote = await request.patch(`/api/v1/users/${admin.id}`, {
      headers: bearer(admin.key.token),
      data: [{ op: "replace", path: "/assignedRoles", value: [] }],
    });
    expect(demote.status()).toBe(409);

    const renamed = await patch(dev.id, [
      { op: "replace", path: "/name", value: "Grace" },
      {
        op: "replace",
        path: "/assignedRoles",
        value: [{ name: "Developer" }, { id: "TenantAdmin" }],
      },
    ]);
    expect(renamed.status()).toBe(204);
    const after = await (
      await request.get(`/api/v1/users/${dev.id}`, { headers: bearer(admin.key.token) })
    ).json();
    expect(after).toMatchObject({
      name: "Grace",
      assignedRoles: [{ name: "TenantAdmin" }, { name: "Developer" }],
    });
    const events = await e2eDb().auditEvent.findMany({
      where: {
        tenantId: admin.tenantId,
        eventType: { in: ["user.updated", "user.roles.updated"] },
      },
    });
    expect(events.map((event) => event.eventType).sort()).toEqual([
      "user.roles.updated",
      "user.updated",
    ]);

    expect(
      (
        await request.delete(`/api/v1/users/${dev.id}`, { headers: bearer(admin.key.token) })
      ).status(),
    ).toBe(204);
    expect(await e2eDb().user.findUnique({ where: { id: dev.id } })).toBeNull();
    // Their key went with them.
    expect(
      (await request.get("/api/v1/users/me", { headers: bearer(dev.key.token) })).status(),
    ).toBe(401);
  });

  test("Qlik's own users module creates, invites, lists with a filter, patches, reads and deletes", async ({
    baseURL,
  }) => {
    const slug = await createTenant();
    const admin = await userWithKey(slug, { admin: true, developer: true });
    setDefaultHostConfig({ host: baseURL!, authType: "apikey", apiKey: admin.key.token });
    const email = `qlik-${unique()}@example.test`;

    const created = await qlikCreateUser({
      subject: `idp|${unique()}`,
      email,
      name: "Ada Lovelace",
      assignedRoles: [{ name: "Developer" }],
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ email, status: "invited", name: "Ada Lovelace" });
    const id = created.data.id;

    const invited = await inviteUsers({
      invitees: [{ email: `invitee-${unique()}@example.test`, name: "Grace" }, { email }],
    });
    expect(invited.data.data?.map((result) => result.status)).toEqual(["ok", "exists"]);

    const listed = await getUsers({ filter: `email eq "${email}"`, limit: 10 });
    expect(listed.data.data?.map((user) => user.id)).toEqual([id]);
    expect((await countUsers({})).data.total).toBe(3);

    const patched = await patchUser(id, [
      {
        op: "replace",
        path: "/assignedRoles",
        value: [{ name: "Developer" }, { name: "TenantAdmin" }],
      },
    ]);
    expect(patched.status).toBe(204);
    const read = await qlikGetUser(id, {}, { noCache: true });
    expect(read.data.assignedRoles?.map((role) => role.name).sort()).toEqual([
      "Developer",
      "TenantAdmin",
    ]);

    expect((await qlikDeleteUser(id)).status).toBe(204);
    await expect(qlikGetUser(id, {}, { noCache: true })).rejects.toMatchObject({ status: 404 });
    const events = await e2eDb().auditEvent.findMany({
      where: { tenantId: admin.tenantId },
      select: { eventType: true },
    });
    expect(events.map((event) => event.eventType)).toEqual(
      expect.arrayContaining(["user.invited", "user.roles.updated", "user.deleted"]),
    );
  });
});
