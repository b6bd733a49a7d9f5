/**
 * Signs out with a POST (a server action, whose origin Next checks): a link or a GET can never end
 * a session. The action ends the session on the server, then clears the cookie.
 */
export function SignOutButton({ signOut }: { signOut: () => Promise<void> }) {
  return (
    <form action={signOut}>
      <button
        type="submit"
        className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-blue-600 focus-visible:outline-none"
      >
        Sign out
      </button>
    </form>
  );
}
