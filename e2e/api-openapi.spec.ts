import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { Validator } from "@seriousme/openapi-schema-validator";

const API_DIR = path.resolve(__dirname, "..", "app", "api", "v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route file under app/api/v1 as "METHOD /path" (`[id]` becomes `{id}`). */
function routeOperations(): string[] {
  const operations: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
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
});
