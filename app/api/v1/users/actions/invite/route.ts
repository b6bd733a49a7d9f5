import { readJsonBody } from "@/lib/http/body";
import { HttpProblem } from "@/lib/http/errors";
import { apiRoute, json, otherMethodsRefused } from "@/lib/http/route";
import { requireRole } from "@/lib/auth/guards";
import { isDomainError } from "@/lib/errors";
import { subjectOf } from "@/lib/users/directory";
import { invitationLink, inviteUser, mailInvitation } from "@/lib/users/invitations";
import { publicUrl } from "@/lib/http/pagination";

const MAX_INVITEES = 100;

/**
 * Qlik's invite: each invitee gets a user and a link (mailed where SMTP is set; an admin can copy
 * a new one from Users). One result per invitee, in order: "ok", "exists", or an error.
 */
export const POST = apiRoute(async (request, principal) => {
  requireRole(principal, "TenantAdmin");
  const body = await readJsonBody(request);
  const invitees = (body as { invitees?: unknown } | null)?.invitees;
  if (!Array.isArray(invitees) || invitees.length === 0 || invitees.length > MAX_INVITEES) {
    throw new HttpProblem(400, `invitees must be a list of 1 to ${MAX_INVITEES} people.`, {
      pointer: "/invitees",
    });
  }
  const data = [];
  for (const invitee of invitees) {
    const { email, name, resend } = (
      typeof invitee === "object" && invitee !== null ? invitee : {}
    ) as Record<string, unknown>;
    try {
      const result = await inviteUser(principal, { email, name }, { resend: resend === true });
      if (result.token) {
        const link = invitationLink(publicUrl(request).origin, result.token);
        await mailInvitation(principal, result.user.email, link);
      }
      data.push({
        email: result.user.email,
        status: result.status,
        subject: subjectOf(result.user),
        userId: result.user.id,
      });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      data.push({
        email: typeof email === "string" ? email : "",
        status: "error",
        code: error.code,
        title: error.message,
      });
    }
  }
  return json({ data });
});

export const { GET, PUT, PATCH, DELETE } = otherMethodsRefused("POST");
