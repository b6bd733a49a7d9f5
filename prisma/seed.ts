import { closeDatabase, db } from "@/lib/db";
import { seedDemoData } from "@/lib/tenants/seed";

async function main() {
  // `npm start` seeds once: a database that already has tenants is left as it is.
  if (process.argv.includes("--if-empty") && (await db.tenant.count()) > 0) return;
  await seedDemoData(db);
  console.log("Demo data is in place.");
}

main().finally(closeDatabase);
