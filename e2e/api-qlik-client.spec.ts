import { expect, test } from "@playwright/test";
import { setDefaultHostConfig } from "@qlik/api/auth";
import { createApiKey, deleteApiKey, getApiKey, getApiKeys, patchApiKey } from "@qlik/api/api-keys";
import { getSpaces } from "@qlik/api/spaces";
import { getMyUser } from "@qlik/api/users";
import { userWithKey } from "./api-helpers";

test("Qlik's own TypeScript client works against Keyward unchanged", async ({ baseURL }) => {
  const dev = await userWithKey("acme");
  setDefaultHostConfig({ host: baseURL!, authType: "apikey", apiKey: dev.key.token });

  const created = await createApiKey({ description: "from @qlik/api", expiry: "P1D" });
  expect(created.status).toBe(201);
  expect(created.data.token).toMatch(/^kw_/);
  const id = created.data.id;

  const list = await getApiKeys({ sort: "-created", limit: 10 });
  expect(list.status).toBe(200);
  expect(list.data.data.map((key) => key.id)).toContain(id);

  const spaces = await getSpaces({ limit: 5 });
  expect(spaces.status).toBe(200);
  expect(spaces.data.data?.length).toBeGreaterThan(0);

  const me = await getMyUser();
  expect(me.status).toBe(200);
  expect(me.data.id).toBe(dev.id);

  const renamed = await patchApiKey(id, [
    { op: "replace", path: "/description", value: "renamed by @qlik/api" },
  ]);
  expect(renamed.status).toBe(204);
  expect((await getApiKey(id, { noCache: true })).data.description).toBe("renamed by @qlik/api");

  const deleted = await deleteApiKey(id);
  expect(deleted.status).toBe(204);
  await expect(getApiKey(id, { noCache: true })).rejects.toMatchObject({ status: 404 });
});
