import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto flex max-w-lg flex-1 flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold text-slate-500">403</p>
      <h1 className="text-2xl font-semibold">You don&apos;t have access to this page</h1>
      <p className="text-slate-600">
        This page is for tenant admins. Ask a tenant admin of your organisation if you need access.
      </p>
      <Link className="font-medium text-blue-700 underline" href="/profile/api-keys">
        Go to your API keys
      </Link>
    </main>
  );
}
