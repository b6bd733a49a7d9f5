import { stopServer } from "../scripts/server-process";
import {
  createTenant,
  createUser,
  expect,
  generateThroughDialog,
  startSuiteInstance,
  test,
} from "./fixtures";

// Keyward works on a few requests at a time and queues the rest (lib/http/admission.mjs). Signing
// in is a server action that redirects, and Next.js renders the page it redirects to by fetching it
// from the same server while the action still holds its place. With one place, that fetch must not
// wait behind the action, or the sign-in never ends.
test("with one request at a time, signing in through the form lands on the page", async ({
  browser,
}) => {
  const developer = await createUser(await createTenant(), { developer: true });
  const { server, base } = await startSuiteInstance({ KEYWARD_CONCURRENT_REQUESTS: "1" });
  const context = await browser.newContext({ baseURL: base });
  try {
    const page = await context.newPage();
    await page.goto("/profile/api-keys");
    await page.getByLabel("Email").fill(developer.email);
    await page.getByLabel("Password").fill(developer.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${base}/profile/api-keys`);
    await expect(page.getByRole("table", { name: "Your API keys" })).toBeVisible();
    // The next server action, too: a key generated and shown.
    await generateThroughDialog(page, "One at a time");
  } finally {
    await context.close();
    await stopServer(server);
  }
});
