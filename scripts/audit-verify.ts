// `npm run audit:verify [-- --tenant <id>]`: checks every tenant's audit hash chain; exits 1 when broken.
import { closeDatabase } from "@/lib/db";
import { describeChainBreak, verifyAuditChain } from "@/lib/audit/verify";

async function main(): Promise<number> {
  const flag = process.argv.indexOf("--tenant");
  const tenantId = flag >= 0 ? process.argv[flag + 1] : undefined;
  const report = await verifyAuditChain(tenantId);
  if (report.ok) {
    console.log(
      `OK: ${report.events} events in ${report.tenants} tenant(s); every chain is intact.`,
    );
    return 0;
  }
  console.error(`BROKEN: ${describeChainBreak(report.firstBreak!)}`);
  return 1;
}

main()
  .then(async (code) => {
    await closeDatabase();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(error);
    await closeDatabase();
    process.exit(2);
  });
