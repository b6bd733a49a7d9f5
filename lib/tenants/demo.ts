import "server-only";
import { db } from "@/lib/db";
import { DEFAULT_DEMO_PASSWORD, DEMO_TENANTS } from "./demo-data";

export interface DemoAccount {
  email: string;
  description: string;
  passwordHint: string;
}

/** The demo accounts still present in the database; empty once demo data is not in use. */
export async function listDemoAccounts(): Promise<DemoAccount[]> {
  if (process.env.KEYWARD_HIDE_DEMO === "1") return [];
  const all = DEMO_TENANTS.flatMap((tenant) => tenant.users);
  const present = await db.user.findMany({
    where: { email: { in: all.map((user) => user.email) } },
    select: { email: true },
  });
  const emails = new Set(present.map((user) => user.email));
  const passwordHint = process.env.DEMO_PASSWORD
    ? "the value of DEMO_PASSWORD"
    : DEFAULT_DEMO_PASSWORD;
  return all
    .filter((user) => emails.has(user.email))
    .map((user) => ({ email: user.email, description: user.description, passwordHint }));
}
