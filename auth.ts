import NextAuth, { CredentialsSignin, customFetch, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { OIDCConfig } from "next-auth/providers";
import { cookies } from "next/headers";
import { NextRequest } from "next/server";
import { z } from "zod";
import { authSecret } from "@/lib/auth/secret";
import { clientAddress } from "@/lib/auth/client-address";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { publicOrigin } from "@/lib/http/public-origin";
import { endSession, SESSION_MAX_AGE_SECONDS, startSession } from "@/lib/auth/sessions";
import { idpRequestAllowed } from "@/lib/sso/rules";
import { signInWithSso, ssoClientOf, tenantOfSsoCookie, type SsoClient } from "@/lib/sso/sign-in";
import { SSO_TENANT_COOKIE, SSO_TENANT_COOKIE_PATH } from "@/lib/sso/cookie";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(1024),
});

/** Too many failed sign-ins for the account or the address: the password was not checked. */
export class TooManySignInAttempts extends CredentialsSignin {
  code = "too-many-attempts";
  /** Whole minutes until the next attempt may be made. */
  readonly minutes: number;
  constructor(waitMs: number) {
    super();
    this.minutes = Math.ceil(waitMs / 60_000);
  }
}

/** The tenant requires single sign-on: the password was not accepted, whatever it was. */
export class SsoRequired extends CredentialsSignin {
  code = "sso-required";
}

const credentials = Credentials({
  credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
  async authorize(raw, request) {
    const parsed = credentialsSchema.safeParse(raw);
    if (!parsed.success) throw new CredentialsSignin();
    const address = clientAddress(request.headers);
    const result = await signInWithPassword({ ...parsed.data, address });
    if (!result.ok) {
      if (result.ssoRequired) throw new SsoRequired();
      if (result.waitMs !== null) throw new TooManySignInAttempts(result.waitMs);
      throw new CredentialsSignin();
    }
    const { user } = result;
    const sessionId = await startSession(user.id, {
      ip: address,
      userAgent: request.headers.get("user-agent"),
    });
    return { id: user.id, email: user.email, name: user.name, sessionId };
  },
});

/**
 * Requests to an identity provider: https only, plain http on loopback only where allowed
 * (lib/sso/rules.ts), for the discovery document and every endpoint it names. @auth/core itself
 * lets oauth4webapi use plain http anywhere.
 */
const idpFetch: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!idpRequestAllowed(url)) {
    return Promise.reject(new TypeError(`Refused a plain-http request to ${url.origin}.`));
  }
  return fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(10_000) });
};

/** The tenant's identity provider as Auth.js's one OIDC provider, "sso". */
function ssoProvider(sso: SsoClient): OIDCConfig<Record<string, unknown>> {
  return {
    id: "sso",
    name: "Single sign-on",
    type: "oidc",
    issuer: sso.issuer,
    clientId: sso.clientId,
    clientSecret: sso.clientSecret,
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: "openid email profile" } },
    [customFetch]: idpFetch,
  };
}

/**
 * The identity provider of the sign-in under way: the tenant the signed cookie names (set by the
 * sign-in page from the email's domain, read back at the callback), or none.
 */
async function ssoClientFor(request: NextRequest | undefined): Promise<SsoClient | null> {
  let value: string | undefined;
  try {
    value = request
      ? request.cookies.get(SSO_TENANT_COOKIE)?.value
      : (await cookies()).get(SSO_TENANT_COOKIE)?.value;
  } catch {
    // Outside a request (a script): no sign-in is under way.
    return null;
  }
  const tenantId = tenantOfSsoCookie(value);
  if (!tenantId) return null;
  try {
    return await ssoClientOf(tenantId);
  } catch (error) {
    // A secret sealed under another key: the admin must enter it again; password sign-in goes on.
    console.error(error);
    return null;
  }
}

/** Read once: the configuration is built again for every request. */
const secret = authSecret();

function authConfig(sso: SsoClient | null, request: NextRequest | undefined): NextAuthConfig {
  return {
    secret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    // Auth.js's own errors (an SSO callback that failed its checks) land on the sign-in page.
    pages: { signIn: "/login", error: "/login" },
    logger: {
      // A wrong password, or a form posted without its CSRF token or to an endpoint Auth.js does
      // not have, is the client's doing and answered as such: not a server error to log.
      error(error) {
        if (error instanceof CredentialsSignin) return;
        if (["MissingCSRF", "UnknownAction"].includes((error as { type?: string }).type ?? "")) {
          return;
        }
        console.error(error);
      },
    },
    providers: sso ? [credentials, ssoProvider(sso)] : [credentials],
    callbacks: {
      // The identity provider vouched for the person: Keyward decides whether they are let in.
      async signIn({ user, account, profile }) {
        if (account?.provider !== "sso") return true;
        if (!sso || !profile) return "/login?sso=not-configured";
        const headers = request?.headers ?? new Headers();
        const result = await signInWithSso(sso.tenantId, profile, {
          ip: clientAddress(headers),
          userAgent: headers.get("user-agent"),
        });
        if (!result.ok) return `/login?sso=${result.reason}`;
        Object.assign(user, {
          id: result.userId,
          email: result.email,
          name: result.name,
          sessionId: result.sessionId,
        });
        return true;
      },
      jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        // The cookie names its session, which every request checks (lib/auth/session.ts).
        if (user?.sessionId) token.sid = user.sessionId;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        if (token.sid) session.sessionId = token.sid;
        return session;
      },
    },
    events: {
      // Auth.js's own sign-out endpoint ends the session on the server, as the console's does.
      async signOut(message) {
        const sessionId = "token" in message ? message.token?.sid : undefined;
        if (sessionId) await endSession(sessionId);
      },
    },
  };
}

const nextAuth = NextAuth(async (request) => authConfig(await ssoClientFor(request), request));

export const { auth, signIn, signOut } = nextAuth;

/**
 * Auth.js takes the URLs it redirects to from the request's URL, where Next.js puts its own host
 * name (`http://localhost:3000`): it is handed the request at the origin the client called.
 */
function atPublicOrigin(request: NextRequest): NextRequest {
  const origin = publicOrigin(request.headers);
  if (!origin) return request;
  const { pathname, search } = new URL(request.url);
  const moved = new NextRequest(new URL(`${pathname}${search}`, origin), request);
  // NextRequest renames loopback addresses `localhost`; the SSO callback's redirect_uri must be the
  // one the sign-in sent, at the origin as the client called it.
  return Object.defineProperty(moved, "url", { value: `${origin}${pathname}${search}` });
}

/** The sign-in through the identity provider is over, whichever way: its tenant cookie goes. */
async function endingSsoSignIn(request: NextRequest, response: Response): Promise<Response> {
  if (!new URL(request.url).pathname.endsWith("/callback/sso")) return response;
  // Auth.js's redirect has immutable headers: a copy takes the extra cookie.
  const ended = new Response(response.body, response);
  ended.headers.append(
    "set-cookie",
    `${SSO_TENANT_COOKIE}=; Path=${SSO_TENANT_COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax`,
  );
  return ended;
}

export const handlers = {
  GET: async (request: NextRequest) =>
    endingSsoSignIn(request, await nextAuth.handlers.GET(atPublicOrigin(request))),
  POST: (request: NextRequest) => nextAuth.handlers.POST(atPublicOrigin(request)),
};
