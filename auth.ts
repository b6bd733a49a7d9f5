import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { NextRequest } from "next/server";
import { z } from "zod";
import { authSecret } from "@/lib/auth/secret";
import { clientAddress } from "@/lib/auth/client-address";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { publicOrigin } from "@/lib/http/public-origin";
import { endSession, SESSION_MAX_AGE_SECONDS, startSession } from "@/lib/auth/sessions";

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

const nextAuth = NextAuth({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
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
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const address = clientAddress(request.headers);
        const result = await signInWithPassword({ ...parsed.data, address });
        if (!result.ok) {
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
    }),
  ],
  callbacks: {
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
});

export const { auth, signIn, signOut } = nextAuth;

/**
 * Auth.js takes the URLs it redirects to from the request's URL, where Next.js puts its own host
 * name (`http://localhost:3000`): it is handed the request at the origin the client called.
 */
function atPublicOrigin(request: NextRequest): NextRequest {
  const origin = publicOrigin(request.headers);
  if (!origin) return request;
  const { pathname, search } = new URL(request.url);
  return new NextRequest(new URL(`${pathname}${search}`, origin), request);
}

export const handlers = {
  GET: (request: NextRequest) => nextAuth.handlers.GET(atPublicOrigin(request)),
  POST: (request: NextRequest) => nextAuth.handlers.POST(atPublicOrigin(request)),
};
