import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_PATH_HEADER } from "@/lib/auth/callback-url";
import { newNonce, pageContentSecurityPolicy, servedOverHttps } from "@/lib/http/security-headers";

/**
 * A page's Content-Security-Policy, with a nonce of its own (SPEC §9). The other security headers,
 * and the strict policy of everything that is no page, come from next.config.ts.
 */
export function proxy(request: NextRequest) {
  const contentSecurityPolicy = pageContentSecurityPolicy(newNonce(), {
    https: servedOverHttps(request.headers),
    development: process.env.NODE_ENV === "development",
  });
  // Next.js reads the nonce from the request's copy while rendering the page.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", contentSecurityPolicy);
  headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", contentSecurityPolicy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: the REST API, Auth.js's endpoints and Next's build files keep the strict policy.
      source: "/((?!api/|_next/).*)",
      // Server action calls answer with data, not a page. Keyward's server has already read their
      // bodies (lib/http/request-guard.mjs), which Next.js would wait to read again for the proxy.
      missing: [
        { type: "header", key: "next-action" },
        { type: "header", key: "content-type", value: "multipart/form-data.*" },
      ],
    },
  ],
};
