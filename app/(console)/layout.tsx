import Link from "next/link";
import { getSession } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/principal";
import { expiringKeyNotices } from "@/lib/notices/console";
import { ConsoleNav } from "@/components/shell/console-nav";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { signOutAction } from "./actions";

export default async function ConsoleLayout({ children }: LayoutProps<"/">) {
  const session = await getSession();
  const isAdmin = session ? hasRole(session.principal, "TenantAdmin") : false;
  const expiring = session ? (await expiringKeyNotices(session.principal)).length : 0;
  return (
    <div className="flex min-h-full flex-1 flex-col">
      {/* First in the tab order: past the header and the navigation, straight to the page. */}
      <a
        href="#content"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-blue-800 shadow-md focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:ring-2 focus:ring-blue-600 focus:outline-none"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3">
          <Link href="/profile/api-keys" className="text-lg font-bold tracking-tight text-blue-800">
            Keyward
          </Link>
          {session ? (
            <div className="flex items-center gap-3 text-sm">
              {expiring > 0 && (
                <Link
                  href="/profile/api-keys#expiring-keys"
                  className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold text-amber-900 underline-offset-2 hover:underline"
                >
                  {expiring} key{expiring === 1 ? "" : "s"} expiring soon
                </Link>
              )}
              <span className="hidden text-right sm:block">
                <span className="block font-medium">{session.user.name}</span>
                <span className="block text-slate-600">
                  {session.user.email} · {session.user.tenantName}
                </span>
              </span>
              <SignOutButton signOut={signOutAction} />
            </div>
          ) : null}
        </div>
      </header>
      <div className="mx-auto flex w-full max-w-7xl flex-1 flex-col gap-6 px-4 py-6 md:flex-row">
        {session ? <ConsoleNav isAdmin={isAdmin} /> : null}
        <main id="content" tabIndex={-1} className="min-w-0 flex-1 outline-none">
          {children}
        </main>
      </div>
    </div>
  );
}
