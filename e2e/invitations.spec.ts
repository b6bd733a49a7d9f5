// People come in by invitation (SPEC §10): an admin invites, the invitee follows the link once,
// sets a password and lands in the tenant; spent, expired and withdrawn links are refused.
import { expect, test, type Page } from "@playwright/test";
import { stopServer } from "../scripts/server-process";
import { startMailServer } from "../test/mail-server";
import {
  createTenant,
  createUser,
  e2eDb,
  expectNoSeriousViolations,
  signIn,
  startSuiteInstance,
} from "./fixtures";

const STRONG_PASSWORD = "violet tractor sandwich orbit";

/** Invites `email` from the Users page and returns the link the dialog shows once. */
async function invite(page: Page, email: string, name: string): Promise<string> {
  await page.goto("/admin/users");
  await page.getByRole("button", { name: "Invite user" }).click();
  const form = page.getByRole("dialog", { name: "Invite user" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill(name);
  await expect(form.getByRole("checkbox", { name: "Developer" })).toBeChecked();
  await form.getByRole("button", { name: "Invite", exact: true }).click();
  const shown = page.getByRole("dialog", { name: "Invitation link" });
  const link = await shown.getByRole("textbox", { name: "Link" }).inputValue();
  expect(link).toMatch(/\/invitation\?token=kwi_/);
  await shown.getByRole("button", { name: "Done" }).click();
  return link;
}

test("an admin invites a person, who sets a password, joins and generates a key", async ({
  page,
  browser,
}) => {
  const slug = await createTenant();
  const admin = await createUser(slug, { admin: true, developer: true });
  await signIn(page, admin.email, admin.password);
  const email = `ada-${Date.now()}@example.test`;
  const link = await invite(page, email, "Ada Lovelace");
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row.getByText("Invited")).toBeVisible();
  // An invited person cannot sign in before joining.
  const invited = await e2eDb().user.findUniqueOrThrow({ where: { email } });
  expect(invited.invitedAt).not.toBeNull();
  expect(invited.passwordHash).toBe("");

  const invitee = await (await browser.newContext()).newPage();
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { name: /^Join Tenant/ })).toBeVisible();
  await expect(invitee.getByText(`You are invited as ${email}`)).toBeVisible();
  await expectNoSeriousViolations(invitee);
  // A weak password, or two that differ, are refused and nothing is spent.
  await invitee.getByLabel(/^Password/).fill("password1234");
  await invitee.getByLabel("Confirm password").fill("password1234");
  await invitee.getByRole("button", { name: "Join" }).click();
  await expect(invitee.getByText("That password is too easy to guess.")).toBeVisible();
  await invitee.getByLabel(/^Password/).fill(STRONG_PASSWORD);
  await invitee.getByLabel("Confirm password").fill(`${STRONG_PASSWORD}!`);
  await invitee.getByRole("button", { name: "Join" }).click();
  await expect(invitee.getByText("The two passwords differ.")).toBeVisible();

  await invitee.getByLabel(/^Password/).fill(STRONG_PASSWORD);
  await invitee.getByLabel("Confirm password").fill(STRONG_PASSWORD);
  await invitee.getByRole("button", { name: "Join" }).click();
  await expect(invitee).toHaveURL(/\/profile\/api-keys$/);
  await expect(invitee.getByRole("button", { name: "Sign out" })).toBeVisible();

  await invitee.getByRole("button", { name: "Generate new key" }).click();
  const form = invitee.getByRole("dialog", { name: "Generate new key" });
  await form.getByLabel("Description").fill("First key");
  await form.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(
    invitee
      .getByRole("dialog", { name: "Copy your new API key" })
      .getByText("This key cannot be shown again."),
  ).toBeVisible();

  // The link is spent.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await expect(
    again.getByRole("heading", { name: "This invitation link no longer works" }),
  ).toBeVisible();

  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: email }).getByText("Active")).toBeVisible();
  const events = await e2eDb().auditEvent.findMany({
    where: { tenantId: admin.tenantId, eventType: { in: ["user.invited", "user.created"] } },
    orderBy: { seq: "asc" },
  });
  expect(events.map((event) => event.eventType)).toEqual(["user.invited", "user.created"]);
});

test("an expired link, a replaced link and a withdrawn invitation are refused", async ({
  page,
  browser,
}) => {
  const slug = await createTenant();
  const admin = await createUser(slug, { admin: true });
  await signIn(page, admin.email, admin.password);
  const visitor = await (await browser.newContext()).newPage();
  const refused = async (link: string) => {
    await visitor.goto(link);
    await expect(
      visitor.getByRole("heading", { name: "This invitation link no longer works" }),
    ).toBeVisible();
  };

  // Expired: seven days have passed.
  const lateEmail = `late-${Date.now()}@example.test`;
  const late = await invite(page, lateEmail, "Late");
  const lateUser = await e2eDb().user.findUniqueOrThrow({ where: { email: lateEmail } });
  await e2eDb().invitation.updateMany({
    where: { userId: lateUser.id },
    data: { expiresAt: new Date(Date.now() - 1000) },
  });
  await refused(late);

  // Replaced: `Copy new link` makes a new one and the old one stops working.
  await page.reload();
  await page
    .getByRole("row")
    .filter({ hasText: lateEmail })
    .getByRole("button", { name: `More actions for ${lateEmail}` })
    .click();
  await page.getByRole("menuitem", { name: "Copy new link" }).click();
  const shown = page.getByRole("dialog", { name: "Invitation link" });
  const fresh = await shown.getByRole("textbox", { name: "Link" }).inputValue();
  await shown.getByRole("button", { name: "Done" }).click();
  expect(fresh).not.toBe(late);
  await visitor.goto(fresh);
  await expect(visitor.getByText(`You are invited as ${lateEmail}`)).toBeVisible();

  // Withdrawn: the link refuses and the invitee is gone.
  await page
    .getByRole("row")
    .filter({ hasText: lateEmail })
    .getByRole("button", { name: `More actions for ${lateEmail}` })
    .click();
  await page.getByRole("menuitem", { name: "Revoke invitation" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke invitation" }).click();
  // While the confirmation is open the table is hidden from the accessibility tree, so the
  // row's absence only counts once the dialog has closed and the server has answered.
  await expect(page.getByText(`The invitation of ${lateEmail} is withdrawn.`)).toBeVisible();
  await expect(page.getByRole("alertdialog")).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: lateEmail })).toHaveCount(0);
  await refused(fresh);
  expect(await e2eDb().user.findUnique({ where: { email: lateEmail } })).toBeNull();
  const types = (
    await e2eDb().auditEvent.findMany({
      where: { tenantId: admin.tenantId },
      select: { eventType: true },
    })
  ).map((event) => event.eventType);
  expect(types).toContain("user.invitation.revoked");
});

test("where SMTP is set, the invitee gets the link by mail and joins through it", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const mailbox = await startMailServer();
  // An instance of Keyward on the suite's database that mails through the test's SMTP server.
  const { server, base } = await startSuiteInstance({
    KEYWARD_SMTP_URL: mailbox.url,
    KEYWARD_MAIL_FROM: "Keyward <keyward@example.test>",
  });
  try {
    const slug = await createTenant();
    const admin = await createUser(slug, { admin: true });
    const adminPage = await (await browser.newContext({ baseURL: base })).newPage();
    await signIn(adminPage, admin.email, admin.password);
    const email = `mailed-${Date.now()}@example.test`;
    const link = await invite(adminPage, email, "Grace Hopper");
    await expect(adminPage.getByText("A mail with the link is on its way.")).toBeVisible();

    const [mail] = await mailbox.waitFor(email);
    expect(mail.subject).toMatch(/^You are invited to Tenant .+ on Keyward$/);
    expect(mail.from?.text).toContain("keyward@example.test");
    const mailed = /https?:\/\/\S+\/invitation\?token=\S+/.exec(mail.text ?? "")?.[0];
    expect(mailed).toBe(link);

    const invitee = await (await browser.newContext({ baseURL: base })).newPage();
    await invitee.goto(mailed!);
    await invitee.getByLabel(/^Password/).fill(STRONG_PASSWORD);
    await invitee.getByLabel("Confirm password").fill(STRONG_PASSWORD);
    await invitee.getByRole("button", { name: "Join" }).click();
    await expect(invitee).toHaveURL(/\/profile\/api-keys$/);
    await expect(invitee.getByRole("button", { name: "Sign out" })).toBeVisible();
  } finally {
    await stopServer(server);
    await mailbox.close();
  }
});
