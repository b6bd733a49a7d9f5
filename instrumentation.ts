/** Once per server start: the notify job's schedule (lib/notices/schedule.ts), on Node.js only. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { scheduleNotifyJob } = await import("./lib/notices/schedule");
  scheduleNotifyJob();
}
