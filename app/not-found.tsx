import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex max-w-lg flex-1 flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-slate-600">The page you asked for does not exist or has moved.</p>
      <Link className="font-medium text-blue-700 underline" href="/profile/api-keys">
        Go to your API keys
      </Link>
    </main>
  );
}
