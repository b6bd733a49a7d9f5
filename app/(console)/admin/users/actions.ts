"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { actionFailure, type ActionResult } from "@/components/admin/action-result";
import { requireActionPrincipal } from "@/lib/auth/session";
import { publicOrigin } from "@/lib/http/public-origin";
import { endUserSessions, setUserDisabled, setUserRoles } from "@/lib/users/admin";
import {
  invitationLink,
  inviteUser,
  mailInvitation,
  resendInvitation,
  revokeInvitation,
} from "@/lib/users/invitations";

const MAILED = {
  sent: " A mail with the link is on its way.",
  off: "",
  failed: " The mail could not be sent: copy the link instead.",
};

/** An invitation's outcome: the link, shown this once. */
export type InvitationResult = ActionResult & { link?: string };

async function linkFor(token: string): Promise<string> {
  const origin = publicOrigin(await headers()) ?? "";
  return invitationLink(origin, token);
}

export async function updateUserRoles(
  userId: string,
  roles: { developer: boolean; tenantAdmin: boolean },
): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    const user = await setUserRoles(principal, userId, roles);
    revalidatePath("/admin/users");
    return { ok: true, message: `Roles of ${user.email} saved.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function updateUserDisabled(userId: string, disabled: boolean): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    const user = await setUserDisabled(principal, userId, disabled);
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.email} is ${disabled ? "disabled" : "enabled"}.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function endSessionsOfUser(userId: string): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    const { email } = await endUserSessions(principal, userId);
    revalidatePath("/admin/users");
    return { ok: true, message: `Sessions of ${email} ended.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function inviteUserAction(input: {
  email: string;
  name: string;
  developer: boolean;
  tenantAdmin: boolean;
}): Promise<InvitationResult> {
  try {
    const principal = await requireActionPrincipal();
    const { email, name, developer, tenantAdmin } = (
      typeof input === "object" && input !== null ? input : {}
    ) as Record<string, unknown>;
    const invited = await inviteUser(principal, {
      email,
      name: typeof name === "string" && name.trim() === "" ? undefined : name,
      roles: { developer: developer ?? false, tenantAdmin: tenantAdmin ?? false },
    });
    if (invited.status === "exists") {
      return {
        ok: false,
        message: `${invited.user.email} is already a user of the tenant.`,
        field: "email",
      };
    }
    revalidatePath("/admin/users");
    const link = await linkFor(invited.token!);
    const mailed = await mailInvitation(principal, invited.user.email, link);
    return { ok: true, message: `${invited.user.email} is invited.${MAILED[mailed]}`, link };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function resendInvitationAction(userId: string): Promise<InvitationResult> {
  try {
    const principal = await requireActionPrincipal();
    const { email, token } = await resendInvitation(principal, userId);
    return {
      ok: true,
      message: `A new link for ${email}; the old one no longer works.`,
      link: await linkFor(token),
    };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function revokeInvitationAction(userId: string): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    const { email } = await revokeInvitation(principal, userId);
    revalidatePath("/admin/users");
    return { ok: true, message: `The invitation of ${email} is withdrawn.` };
  } catch (error) {
    return actionFailure(error);
  }
}
