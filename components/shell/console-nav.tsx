"use client";

import { useId, useState } from "react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { Menu } from "lucide-react";
import { cn, focusRing } from "@/components/ui/cn";

const PROFILE_LINKS = [
  { href: "/profile/api-keys", label: "API keys" },
  { href: "/profile/sessions", label: "Sessions" },
  { href: "/profile/password", label: "Password" },
];
const ADMIN_LINKS = [
  { href: "/admin/settings", label: "Settings" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/events", label: "Events" },
  { href: "/admin/users", label: "Users" },
];
const REFERENCE_LINKS = [{ href: "/docs/api", label: "REST API" }];

function NavGroup({ title, links }: { title: string; links: typeof PROFILE_LINKS }) {
  const pathname = usePathname();
  return (
    <div>
      <h2 className="px-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">{title}</h2>
      <ul className="mt-1 space-y-0.5">
        {links.map((link) => {
          const current = pathname === link.href;
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={current ? "page" : undefined}
                className={cn(
                  "block rounded-md px-2 py-1.5 text-sm hover:bg-slate-200/60",
                  current && "bg-blue-50 font-semibold text-blue-800",
                )}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The console's sections: a sidebar, and on a phone a `Menu` button that unfolds them. */
export function ConsoleNav({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  const listId = useId();
  // Open for the page it was opened on: following a link folds it again.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <nav aria-label="Main" className="flex shrink-0 flex-col gap-3 md:w-52">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpenOn(open ? null : pathname)}
        className={cn(
          "inline-flex h-9 cursor-pointer items-center gap-2 self-start rounded-md border border-slate-300 bg-white px-3 text-sm font-medium shadow-sm hover:bg-slate-50 md:hidden",
          focusRing,
        )}
      >
        <Menu aria-hidden="true" className="size-4" />
        Menu
      </button>
      <div id={listId} className={cn("flex-col gap-5 md:flex", open ? "flex" : "hidden")}>
        <NavGroup title="Profile" links={PROFILE_LINKS} />
        {isAdmin ? <NavGroup title="Administration" links={ADMIN_LINKS} /> : null}
        <NavGroup title="Reference" links={REFERENCE_LINKS} />
      </div>
    </nav>
  );
}
