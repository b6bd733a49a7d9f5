import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTenant, createUser } from "@/test/factories";
import { hashPassword } from "./password";
import { signInWithPassword } from "./sign-in";

const PASSWORD = "correct horse battery staple";

async function userWithPassword() {
  const tenant = await createTenant();
  const user = await createUser(tenant.id, { developer: true });
  await db.user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(PASSWORD) },
  });
  return user;
}

let addresses = 0;
/** An address no other test has used. */
function newAddress() {
  addresses += 1;
  return `203.0.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
}

async function fail(email: string, address: string | null, times: number) {
  const results = [];
  for (let i = 0; i < times; i++)
    results.push(await signInWithPassword({ email, password: `wrong ${i}`, address }));
  return results;
}

describe("signing in with a password", () => {
  it("signs a user in with the right password and refuses a wrong one", async () => {
    const user = await userWithPassword();
    const right = await signInWithPassword({
      email: user.email,
      password: PASSWORD,
      address: newAddress(),
    });
    expect(right).toMatchObject({ ok: true, user: { id: user.id } });
    expect(
      await signInWithPassword({ email: user.email, password: "nope", address: newAddress() }),
    ).toEqual({ ok: false, waitMs: null });
  });

  it("after 10 failures the account is refused unchecked for 15 minutes, from any address", async () => {
    const user = await userWithPassword();
    const failures = await fail(user.email, newAddress(), 10);
    expect(failures).toEqual(Array(10).fill({ ok: false, waitMs: null }));
    // Even the right password, even from another address: the attempt is not checked.
    const blocked = await signInWithPassword({
      email: user.email,
      password: PASSWORD,
      address: newAddress(),
    });
    expect(blocked.ok).toBe(false);
    const waitMs = (blocked as { waitMs: number }).waitMs;
    expect(waitMs).toBeGreaterThan(14 * 60_000);
    expect(waitMs).toBeLessThanOrEqual(15 * 60_000);
    // Another account is unaffected.
    const other = await userWithPassword();
    expect(
      await signInWithPassword({ email: other.email, password: PASSWORD, address: newAddress() }),
    ).toMatchObject({ ok: true });
  });

  it("concurrent attempts cannot slip past the limit: exactly 10 of 30 are checked", async () => {
    const user = await userWithPassword();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        signInWithPassword({ email: user.email, password: `wrong ${i}`, address: newAddress() }),
      ),
    );
    expect(results.filter((result) => !result.ok && result.waitMs === null)).toHaveLength(10);
    expect(results.filter((result) => !result.ok && result.waitMs !== null)).toHaveLength(20);
  });

  it("a success clears the account's failures", async () => {
    const user = await userWithPassword();
    const address = newAddress();
    await fail(user.email, address, 9);
    expect(
      await signInWithPassword({ email: user.email, password: PASSWORD, address }),
    ).toMatchObject({ ok: true });
    expect(await fail(user.email, address, 9)).toEqual(Array(9).fill({ ok: false, waitMs: null }));
    expect(
      await signInWithPassword({ email: user.email, password: PASSWORD, address }),
    ).toMatchObject({ ok: true });
  });

  it("after 50 failures from one address, that address is refused for every account", async () => {
    const address = newAddress();
    // One password tried on many accounts, known or not: each counts against the address.
    for (let i = 0; i < 5; i++) {
      const results = await fail(`nobody-${i}-${address}@example.test`, address, 9);
      expect(results.every((result) => !result.ok && result.waitMs === null)).toBe(true);
    }
    const user = await userWithPassword();
    await fail(user.email, address, 5);
    const blocked = await signInWithPassword({ email: user.email, password: PASSWORD, address });
    expect(blocked).toMatchObject({ ok: false, waitMs: expect.any(Number) });
    // The same user from another address is let in: its own count is 5.
    expect(
      await signInWithPassword({ email: user.email, password: PASSWORD, address: newAddress() }),
    ).toMatchObject({ ok: true });
  });

  it("counts attempts of unknown emails against that email too", async () => {
    const email = `nobody-${newAddress()}@example.test`;
    await fail(email, null, 10);
    expect(await signInWithPassword({ email, password: PASSWORD, address: null })).toMatchObject({
      ok: false,
      waitMs: expect.any(Number),
    });
  });
});
