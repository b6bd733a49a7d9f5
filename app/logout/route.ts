import { signOut } from "@/auth";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

/** Clears the session cookie of a user who was disabled or removed, then goes to sign-in. */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const params = new URLSearchParams();
  const callbackUrl = url.searchParams.get("callbackUrl");
  if (callbackUrl) params.set("callbackUrl", safeCallbackUrl(callbackUrl));
  if (url.searchParams.get("reason") === "disabled") params.set("reason", "signed-out");
  const query = params.toString();
  await signOut({ redirectTo: `/login${query ? `?${query}` : ""}` });
}
