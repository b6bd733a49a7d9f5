// Password life: a user changes their own password from the profile, or resets a forgotten one
// through a mailed single-use link; either way the user's other browsers are signed out.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { freePort, stopServer } from "../scripts/server-process";
import { startMailServer } from "../test/mail-server";
import {
  createTenant,
  createUser,
  e2eDb,
  expectNoSeriousViolations,
  signIn,
  startSuiteInstance,
} from "./fixtures";

const NEW_PASSWORD = "quiet harbor violin 7 meadow";

async function signedInPage(browser: Browser, base: string | undefined, email: string, pw: string) {
  const page = await (await browser.newContext(base ? { baseURL: base } : {})).newPage();
  await page.goto("/login");
  await signIn(page, email, pw);
  return page;
}

/** Whether the browser's session still opens the profile, or is sent to sign in. */
async function stillSignedIn(page: Page): Promise<boolean> {
  await page.goto("/profile/api-keys");
  return !new URL(page.url()).pathname.startsWith("/login");
}

async function refusedSignIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Incorrect email or password.")).toBeVisible();
}

test("a user changes their password: other browsers are signed out, this one stays", async ({
  browser,
  baseURL,
}) => {
  const slug = await createTenant();
  const user = await createUser(slug, { developer: true });
  const here = await signedInPage(browser, baseURL, user.email, user.password);
  const elsewhere = await signedInPage(browser, baseURL, user.email, user.password);

  await here.getByRole("link", { name: "Password" }).click();
  await expect(here.getByRole("heading", { name: "Password", level: 1 })).toBeVisible();
  await expectNoSeriousViolations(here);
  const change = async (current: string, next: string, confirm = next) => {
    await here.getByLabel("Current password").fill(current);
    await here.getByLabel(/^New password/).fill(next);
    await here.getByLabel("Confirm new password").fill(confirm);
    await here.getByRole("button", { name: "Change password" }).click();
  };

  await change("not my password", NEW_PASSWORD);
  await expect(here.getByText("Your current password is not right.")).toBeVisible();
  await change(user.password, "password1234");
  await expect(
    here.getByText("That password is too easy to guess.", { exact: false }),
  ).toBeVisible();
  await change(user.password, NEW_PASSWORD, `${NEW_PASSWORD}!`);
  await expect(here.getByText("The two new passwords differ.")).toBeVisible();
  expect(await stillSignedIn(elsewhere)).toBe(true);

  await here.getByRole("link", { name: "Password" }).click();
  await change(user.password, NEW_PASSWORD);
  await expect(
    here.getByText("Your password is changed. 1 other session was signed out."),
  ).toBeVisible();
  expect(await stillSignedIn(elsewhere)).toBe(false);
  expect(await stillSignedIn(here)).toBe(true);

  // The old password is refused from now on, and the new one works.
  const fresh = await (await browser.newContext()).newPage();
  await refusedSignIn(fresh, user.email, user.password);
  await signIn(fresh, user.email, NEW_PASSWORD);
  const events = await e2eDb().auditEvent.findMany({
    where: { tenantId: user.tenantId, eventType: "user.password.changed" },
  });
  expect(events).toHaveLength(1);
});

test("without mail, Forgot password says to ask an admin and tells nothing about the account", async ({
  page,
}) => {
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page.getByRole("heading", { name: "Forgot password" })).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByText("Enter your email address.")).toBeVisible();
  await page.getByLabel("Email").fill(`nobody-${Date.now()}@example.test`);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(
    page.getByText("This Keyward sends no mail. Ask your tenant admin for a password reset link."),
  ).toBeVisible();
});

test("where SMTP is set, a forgotten password is reset through the mailed link, once", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const mailbox = await startMailServer();
  // Mail links point at KEYWARD_PUBLIC_URL: here, the instance's own address.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { server } = await startSuiteInstance({
    PORT: String(port),
    KEYWARD_SMTP_URL: mailbox.url,
    KEYWARD_PUBLIC_URL: base,
  });
  try {
    const slug = await createTenant();
    const user = await createUser(slug, { developer: true });
    const other = await signedInPage(browser, base, user.email, user.password);

    const page = await (await browser.newContext({ baseURL: base })).newPage();
    const ask = async (email: string) => {
      await page.goto("/forgot-password");
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Send reset link" }).click();
      await expect(
        page.getByText("If an account uses that address", { exact: false }),
      ).toBeVisible();
    };
    // An address without an account gets the same answer, and no mail.
    const ghost = `ghost-${Date.now()}@example.test`;
    await ask(ghost);
    await ask(user.email);
    const [mail] = await mailbox.waitFor(user.email);
    expect(mail.subject).toBe("Reset your Keyward password");
    const link = new RegExp(`${base}/reset-password\\?token=kwr_\\S+`).exec(mail.text ?? "")?.[0];
    expect(link).toBeTruthy();
    expect(mailbox.to(ghost)).toHaveLength(0);

    await page.goto(link!);
    await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    await expectNoSeriousViolations(page);
    await page.getByLabel(/^New password/).fill(NEW_PASSWORD);
    await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set password" }).click();
    await expect(page).toHaveURL(/\/login\?reason=password-reset$/);
    await expect(page.getByText("Your password is changed", { exact: false })).toBeVisible();
    await signIn(page, user.email, NEW_PASSWORD);
    // Every session that was open before the reset is over.
    expect(await stillSignedIn(other)).toBe(false);

    // The link worked once.
    const again = await (await browser.newContext({ baseURL: base })).newPage();
    await again.goto(link!);
    await expect(
      again.getByRole("heading", { name: "This reset link no longer works" }),
    ).toBeVisible();
    const types = (
      await e2eDb().auditEvent.findMany({
        where: { tenantId: user.tenantId, userId: user.id },
        orderBy: { seq: "asc" },
      })
    ).map((event) => event.eventType);
    expect(types).toEqual(["user.password.reset-requested", "user.password.changed"]);
  } finally {
    await stopServer(server);
    await mailbox.close();
  }
});

test("without mail, an admin copies a reset link for a member, who sets a new password with it", async ({
  page,
  browser,
}) => {
  const slug = await createTenant();
  const admin = await createUser(slug, { admin: true });
  const member = await createUser(slug, { developer: true });
  await signIn(page, admin.email, admin.password);
  await page.goto("/admin/users");
  await page.getByRole("button", { name: `More actions for ${member.email}` }).click();
  await page.getByRole("menuitem", { name: "Copy password reset link" }).click();
  const shown = page.getByRole("dialog", { name: "Password reset link" });
  await expect(shown).toContainText("60 minutes");
  const link = await shown.getByRole("textbox", { name: "Link" }).inputValue();
  expect(link).toMatch(/\/reset-password\?token=kwr_/);
  await shown.getByRole("button", { name: "Done" }).click();

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(link);
  await visitor.getByLabel(/^New password/).fill(NEW_PASSWORD);
  await visitor.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await visitor.getByRole("button", { name: "Set password" }).click();
  await expect(visitor).toHaveURL(/\/login\?reason=password-reset$/);
  await signIn(visitor, member.email, NEW_PASSWORD);
  const requested = await e2eDb().auditEvent.findFirstOrThrow({
    where: { tenantId: member.tenantId, eventType: "user.password.reset-requested" },
  });
  expect(requested.userId).toBe(admin.id);
});
