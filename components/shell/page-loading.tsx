import { Spinner } from "@/components/ui/spinner";

/**
 * What a console page shows while the server makes it: announced once, politely, and shaped like
 * the page (a header, then a table) so that the layout does not jump when it arrives.
 */
export function PageLoading() {
  return (
    <div role="status" aria-live="polite" className="grid gap-6">
      <div className="flex items-center gap-2 text-sm text-slate-600">
        <Spinner size="sm" />
        <span>Loading…</span>
      </div>
      <div aria-hidden="true" className="grid animate-pulse gap-6 motion-reduce:animate-none">
        <div className="grid gap-2">
          <div className="h-7 w-48 rounded-md bg-slate-200" />
          <div className="h-4 w-full max-w-xl rounded-md bg-slate-100" />
        </div>
        <div className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4">
          {[0, 1, 2, 3, 4].map((row) => (
            <div key={row} className="h-5 rounded-md bg-slate-100" />
          ))}
        </div>
      </div>
    </div>
  );
}
