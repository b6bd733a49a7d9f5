import type { ReactNode } from "react";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { cn, focusRing } from "@/components/ui/cn";
import { AUDIT_EVENT_TYPES } from "@/lib/audit/event-types";

export interface EventFilterValues {
  eventType: string;
  user: string;
  key: string;
  from: string;
  to: string;
  period: string;
}

const control = cn(
  "block h-9 w-full rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 shadow-sm",
  focusRing,
);

function Labelled({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="grid min-w-40 flex-1 gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-900">
        {label}
      </label>
      {children}
    </div>
  );
}

/** A plain GET form: the filters live in the URL, work without script, and survive a reload. */
export function EventFilters({
  values,
  users,
}: {
  values: EventFilterValues;
  users: { id: string; name: string; email: string }[];
}) {
  return (
    <form method="get" action="/admin/events" aria-label="Filter events" className="grid gap-3">
      <input type="hidden" name="period" value={values.period} />
      <div className="flex flex-wrap items-end gap-3">
        <Labelled id="filter-event-type" label="Event type">
          <select
            id="filter-event-type"
            name="eventType"
            defaultValue={values.eventType}
            className={control}
          >
            <option value="">All event types</option>
            {AUDIT_EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled id="filter-user" label="User">
          <select id="filter-user" name="user" defaultValue={values.user} className={control}>
            <option value="">All users</option>
            {users.map((user) => (
              <option key={user.id} value={user.id}>
                {`${user.name} (${user.email})`}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled id="filter-key" label="API key ID">
          <input
            id="filter-key"
            name="key"
            defaultValue={values.key}
            placeholder="Its first 3 or more characters"
            autoComplete="off"
            spellCheck={false}
            className={control}
          />
        </Labelled>
        <Labelled id="filter-from" label="From">
          <input
            id="filter-from"
            name="from"
            type="date"
            defaultValue={values.from}
            className={control}
          />
        </Labelled>
        <Labelled id="filter-to" label="To">
          <input
            id="filter-to"
            name="to"
            type="date"
            defaultValue={values.to}
            className={control}
          />
        </Labelled>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className={buttonClasses({ variant: "primary", size: "sm" })}>
          Apply filters
        </button>
        <Link
          href={values.period === "24h" ? "/admin/events" : `/admin/events?period=${values.period}`}
          className={buttonClasses({ variant: "ghost", size: "sm" })}
        >
          Clear filters
        </Link>
        <p className="text-sm text-slate-600">Dates are whole days in UTC.</p>
      </div>
    </form>
  );
}
