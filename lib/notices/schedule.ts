import "server-only";
import { beforeDatabaseCloses } from "@/lib/db";
import { runNotifyJob } from "./job";

const globalForSchedule = globalThis as unknown as {
  keywardNotifySchedule?: { timer: NodeJS.Timeout; running: Promise<unknown> };
};

/** Seconds between runs: `KEYWARD_NOTIFY_INTERVAL_SECONDS` (default 300; 0 turns the schedule off). */
function intervalSeconds(): number {
  const value = Number(process.env.KEYWARD_NOTIFY_INTERVAL_SECONDS ?? 300);
  return Number.isFinite(value) && value >= 0 ? value : 300;
}

/**
 * Runs the notify job on a schedule in the server (what `npm run notify` runs once). Every
 * instance schedules it; the job's lease lets one run at a time. The timer never keeps the
 * process alive, and stops before the database closes at shutdown.
 */
export function scheduleNotifyJob(): void {
  const seconds = intervalSeconds();
  if (seconds === 0 || globalForSchedule.keywardNotifySchedule) return;
  const state = {
    running: Promise.resolve() as Promise<unknown>,
    timer: setInterval(() => {
      state.running = state.running.then(() =>
        runNotifyJob().catch((error) => console.error("[keyward] notify job failed", error)),
      );
    }, seconds * 1000),
  };
  state.timer.unref();
  globalForSchedule.keywardNotifySchedule = state;
  beforeDatabaseCloses(async () => {
    clearInterval(state.timer);
    await state.running;
  });
}
