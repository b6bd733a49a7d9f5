import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { createTenant, createUser, expectNoSeriousViolations, signIn } from "./fixtures";

const API_DIR = path.resolve(__dirname, "..", "app", "api", "v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route file under app/api/v1 as "METHOD /path" (`[id]` becomes `{id}`). */
function routeOperations(): string[] {
  const operations: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      // A catch-all only answers 404 for paths the API does not have.
      if (entry.isDirectory() && entry.name.startsWith("[...")) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const route = path
          .relative(API_DIR, dir)
          .split(path.sep)
          .map((segment) => segment.replace(/^\[(.+)\]$/, "{$1}"))
          .join("/");
        // The document describes the API; it is not one of its operations.
        if (route === "openapi.json") continue;
        const source = fs.readFileSync(full, "utf8");
        for (const method of METHODS) {
          if (new RegExp(`export (const|async function|function) ${method}\\b`).test(source)) {
            operations.push(`${method} /${route}`);
          }
        }
      }
    }
  };
  walk(API_DIR);
  return operations.sort();
}

test("the OpenAPI document is valid 3.1 and describes every route", async ({ request }) => {
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const document = await response.json();
  expect(document.openapi).toMatch(/^3\.1\./);
  const result = await new Validator().validate(document);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);

  const documented = new Set<string>();
  for (const [route, item] of Object.entries(document.paths as Record<string, object>)) {
    for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${route}`);
  }
  const operations = routeOperations();
  expect(operations.length).toBeGreaterThanOrEqual(11);
  for (const operation of operations) expect([...documented], operation).toContain(operation);
});

test("the API docs page explains curl and Postman and links the document", async ({ page }) => {
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "Keyward REST API" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "With Postman" })).toBeVisible();
  await expect(page.getByText("Bearer Token", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "OpenAPI 3.1 document" })).toHaveAttribute(
    "href",
    "/api/v1/openapi.json",
  );
  await expect(page.getByRole("heading", { name: "GET /api/v1/users/me" })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test("the API docs page covers every route, inside the console with its navigation", async ({
  page,
}) => {
  const developer = await createUser(await createTenant(), { developer: true });
  await signIn(page, developer.email, developer.password);
  // Reached from the navigation, and from the dialog that generates a key.
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "REST API" }).click();
  await expect(page).toHaveURL(/\/docs\/api$/);
  await expect(nav.getByRole("link", { name: "REST API" })).toHaveAttribute("aria-current", "page");
  const operations = routeOperations();
  const headings = await page.getByRole("heading", { level: 3 }).allTextContents();
  for (const operation of operations) {
    const [method, route] = operation.split(" ");
    expect(headings, operation).toContain(`${method} /api/v1${route}`);
  }
  // Every example is seen whole: its box is as wide as its text.
  for (const code of await page.locator("pre").all()) {
    const { scrollWidth, clientWidth } = await code.evaluate((element) => ({
      scrollWidth: element.scrollWidth,
      clientWidth: element.clientWidth,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  }
  // The way back: the navigation's other sections.
  await nav.getByRole("link", { name: "API keys" }).click();
  await page.getByRole("button", { name: "Generate new key" }).click();
  await page.getByRole("dialog").getByRole("link", { name: "REST API docs" }).click();
  await expect(page.getByRole("heading", { name: "Keyward REST API" })).toBeVisible();
});

test("a method a route lacks gets 405 with Allow, and an unknown path 404, in the error body", async ({
  request,
}) => {
  const operations = routeOperations();
  const routes = [...new Set(operations.map((operation) => operation.split(" ")[1]))];
  // openapi.json is skipped by routeOperations; it only answers GET.
  routes.push("/openapi.json");
  operations.push("GET /openapi.json");
  for (const route of routes) {
    const offered = METHODS.filter((method) => operations.includes(`${method} ${route}`));
    const url = `/api/v1${route.replace(/\{[^}]+\}/g, "0123456789abcdef01234567")}`;
    for (const method of METHODS.filter((method) => !offered.includes(method))) {
      const response = await request.fetch(url, { method });
      expect(response.status(), `${method} ${route}`).toBe(405);
      const allow = response.headers()["allow"].split(", ");
      expect(allow.filter((name) => name !== "HEAD" && name !== "OPTIONS")).toEqual(offered);
      const body = await response.json();
      expect(body.errors[0]).toMatchObject({ code: "HTTP-405", status: "405" });
      expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
    }
  }
  for (const [method, path] of [
    ["GET", "/api/v1/no-such-thing"],
    ["POST", "/api/v1/spaces/0123456789abcdef01234567/members"],
    ["DELETE", "/api/v1/users/me/extra"],
  ]) {
    const response = await request.fetch(path, { method });
    expect(response.status(), `${method} ${path}`).toBe(404);
    expect(response.headers()["content-type"]).toMatch(/^application\/json/);
    expect((await response.json()).errors[0]).toMatchObject({ code: "HTTP-404", status: "404" });
  }
});
