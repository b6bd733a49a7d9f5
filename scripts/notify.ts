// `npm run notify`: runs the notify job once (unused keys revoked, expiry reminders, the outbox
// mailed) and exits, for cron. Exits 0 also when another instance held the job's lease.
import { closeDatabase } from "@/lib/db";
import { closeMail } from "@/lib/mail";
import { runNotifyJob } from "@/lib/notices/job";

runNotifyJob()
  .then(async (run) => {
    console.log(
      run.ran
        ? `notify: ${run.revoked} unused keys revoked, ${run.noticed} notices added, ${run.mailed} mailed, ${run.failed} failed (retried next run)`
        : "notify: another run holds the job; nothing done",
    );
    closeMail();
    await closeDatabase();
    process.exit(0);
  })
  .catch(async (error) => {
    console.error("notify failed:", error instanceof Error ? error.message : error);
    closeMail();
    await closeDatabase().catch(() => undefined);
    process.exit(2);
  });
