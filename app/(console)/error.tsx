"use client";

import { Button } from "@/components/ui/button";

/**
 * An unexpected failure of a console page, inside the console's shell. It says what to do, with
 * the server log's reference; never the error's message or stack, which could tell too much.
 */
export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest =
    error instanceof Error && "digest" in error && typeof error.digest === "string"
      ? error.digest
      : null;
  return (
    <div role="alert" className="grid max-w-xl gap-3 py-6">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-slate-600">
        Keyward could not show this page. Try again; if it keeps failing, tell your administrator.
      </p>
      {digest ? (
        <p className="text-sm text-slate-600">
          Reference for your administrator: <code className="font-mono">{digest}</code>
        </p>
      ) : null}
      <div>
        <Button onClick={() => retry()}>Try again</Button>
      </div>
    </div>
  );
}
