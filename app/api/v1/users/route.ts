import { readJsonBody } from "@/lib/http/body";
import { pageLinks, publicUrl } from "@/lib/http/pagination";
import { parseQuery } from "@/lib/http/query";
import { apiRoute, json, otherMethodsRefused } from "@/lib/http/route";
import { Conflict } from "@/lib/errors";
import { listUsers, listUsersQuerySchema, toUserDto } from "@/lib/users/directory";
import { invitationLink, inviteUser, mailInvitation } from "@/lib/users/invitations";
import { rolesFromReferences } from "@/lib/users/rest";

export const GET = apiRoute(async (request, principal) => {
  const url = publicUrl(request);
  const page = await listUsers(principal, parseQuery(listUsersQuerySchema, url));
  return json({
    data: page.data,
    links: pageLinks(url, {
      next: page.next ? { next: page.next, prev: null } : undefined,
      prev: page.prev ? { prev: page.prev, next: null } : undefined,
    }),
    ...(page.total === undefined ? {} : { totalResults: page.total }),
  });
});

/** Qlik's "create user": here an invited user, who joins through an invitation link. */
export const POST = apiRoute(async (request, principal) => {
  const body = await readJsonBody(request);
  const { email, name, subject, assignedRoles } = (
    typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}
  ) as Record<string, unknown>;
  const invited = await inviteUser(principal, {
    email,
    name,
    subject,
    roles: assignedRoles === undefined ? undefined : rolesFromReferences(assignedRoles),
  });
  if (invited.status === "exists") {
    throw new Conflict("A user with this email address already exists in the tenant.");
  }
  await mailInvitation(
    principal,
    invited.user.email,
    invitationLink(publicUrl(request).origin, invited.token!),
  );
  return json(toUserDto(invited.user), 201);
});

export const { PUT, PATCH, DELETE } = otherMethodsRefused("GET", "POST");
