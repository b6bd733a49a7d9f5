import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { getSession } from "@/lib/auth/session";

/**
 * Clears a session cookie that the server no longer honours (its session ended, or its user was
 * disabled or removed), then goes to sign-in. A live session is left alone: only a POST ends one.
 */
export async function GET(request: Request) {
  const params = new URLSearchParams();
  const callbackUrl = new URL(request.url).searchParams.get("callbackUrl");
  if (callbackUrl) params.set("callbackUrl", safeCallbackUrl(callbackUrl));
  if (await getSession()) redirect(`/login?${params}`);
  params.set("reason", "signed-out");
  await signOut({ redirectTo: `/login?${params}` });
}
