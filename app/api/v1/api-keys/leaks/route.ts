import { revokeLeakedTokens } from "@/lib/api-keys/leaks";
import { clientAddress } from "@/lib/auth/client-address";
import { readJsonBody } from "@/lib/http/body";
import { rateLimitedResponse, responseForError } from "@/lib/http/errors";
import { consumeLeakReport } from "@/lib/http/rate-limit";
import { json, otherMethodsRefused } from "@/lib/http/route";

/**
 * Keyward's extension (as GitHub's credential-revocation API): anyone who found tokens reports
 * them, without credentials, and learns nothing about them: the answer is the same whatever they
 * were. Limited per client address.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const ip = clientAddress(request.headers);
    const wait = await consumeLeakReport(ip);
    if (wait !== null) return rateLimitedResponse(wait);
    const { received } = await revokeLeakedTokens(await readJsonBody(request), {
      ip,
      userAgent: request.headers.get("user-agent"),
    });
    return json({ received }, 202);
  } catch (error) {
    return responseForError(error);
  }
}

export const { GET, PUT, PATCH, DELETE } = otherMethodsRefused("POST");
