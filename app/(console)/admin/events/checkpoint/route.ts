import { latestCheckpoint } from "@/lib/audit/checkpoint";
import { getSession } from "@/lib/auth/session";
import { isDomainError } from "@/lib/errors";
import { domainStatus } from "@/lib/http/errors";

/** The tenant's latest signed audit checkpoint, as a JSON file to keep outside Keyward. */
export async function GET(): Promise<Response> {
  const session = await getSession();
  if (!session) return new Response("Sign in to download the audit checkpoint.", { status: 401 });
  try {
    const checkpoint = await latestCheckpoint(session.principal);
    return new Response(`${JSON.stringify(checkpoint, null, 2)}\n`, {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="keyward-audit-checkpoint-${checkpoint.seq}.json"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (isDomainError(error)) return new Response(error.message, { status: domainStatus(error) });
    throw error;
  }
}
