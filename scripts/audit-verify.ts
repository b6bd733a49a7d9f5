// `npm run audit:verify [-- --tenant <id>] [-- --checkpoint <file>]`: checks every tenant's audit
// chain against the audit key and each tenant's signed head, and against a checkpoint downloaded
// from Events when one is given. Exits 0 when intact, 1 when an event was changed or removed,
// 3 when the newest events were cut off, 2 when it could not check.
import fs from "node:fs";
import { parseCheckpoint } from "@/lib/audit/checkpoint";
import { closeDatabase } from "@/lib/db";
import { describeChainBreak, isTruncation, verifyAuditChain } from "@/lib/audit/verify";

function option(name: string): string | undefined {
  const flag = process.argv.indexOf(name);
  return flag >= 0 ? process.argv[flag + 1] : undefined;
}

async function main(): Promise<number> {
  const file = option("--checkpoint");
  const checkpoint = file ? parseCheckpoint(JSON.parse(fs.readFileSync(file, "utf8"))) : undefined;
  const tenantId = option("--tenant") ?? checkpoint?.tenantId;
  const report = await verifyAuditChain(tenantId, checkpoint);
  if (report.ok) {
    const legacy = report.legacyEvents
      ? ` ${report.legacyEvents} of them were chained before the audit key existed (plain SHA-256).`
      : "";
    const against = checkpoint ? ` and reach the checkpoint at seq ${checkpoint.seq}` : "";
    console.log(
      `OK: ${report.events} events in ${report.tenants} tenant(s); every chain is intact${against}.${legacy}`,
    );
    return 0;
  }
  console.error(describeChainBreak(report.firstBreak!));
  return isTruncation(report.firstBreak!) ? 3 : 1;
}

main()
  .then(async (code) => {
    await closeDatabase();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(error instanceof Error ? error.message : error);
    await closeDatabase();
    process.exit(2);
  });
