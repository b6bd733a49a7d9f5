import { NextResponse, type NextRequest } from "next/server";
import {
  newNonce,
  pageContentSecurityPolicy,
  servedOverHttps,
  setSecurityHeaders,
  STRICT_CONTENT_SECURITY_POLICY,
} from "@/lib/http/security-headers";

/** The REST API, Auth.js's endpoints and Next's build files: no page, so no scripts to allow. */
const NOT_A_PAGE = /^\/(api|_next)\//;

/** Every response gets Keyward's security headers (SPEC §9); pages a nonce of their own. */
export function proxy(request: NextRequest) {
  const https = servedOverHttps(request.headers);
  if (NOT_A_PAGE.test(request.nextUrl.pathname)) {
    const response = NextResponse.next();
    setSecurityHeaders(response.headers, {
      contentSecurityPolicy: STRICT_CONTENT_SECURITY_POLICY,
      https,
    });
    return response;
  }
  const contentSecurityPolicy = pageContentSecurityPolicy(newNonce(), {
    https,
    development: process.env.NODE_ENV === "development",
  });
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", contentSecurityPolicy);
  const response = NextResponse.next({ request: { headers } });
  setSecurityHeaders(response.headers, { contentSecurityPolicy, https });
  return response;
}
