"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { publicOrigin } from "@/lib/http/public-origin";
import { DomainError } from "@/lib/errors";
import { endUserSessions, setUserDisabled, setUserRoles, userRolesSchema } from "@/lib/users/admin";
import {
  invitationLink,
  inviteUser,
  mailInvitation,
  resendInvitation,
  revokeInvitation,
} from "@/lib/users/invitations";
import { createPasswordResetLink, resetLink } from "@/lib/users/passwords";

const PAGE = ["/admin/users"];

const userId = z.string({ error: "User ID is required." });

const MAILED = {
  sent: " A mail with the link is on its way.",
  off: "",
  failed: " The mail could not be sent: copy the link instead.",
};

async function linkFor(token: string): Promise<string> {
  const origin = publicOrigin(await headers()) ?? "";
  return invitationLink(origin, token);
}

export const updateUserRoles = defineAction({
  args: z.tuple([userId, userRolesSchema]),
  role: "TenantAdmin",
  revalidate: PAGE,
  run: async (principal, id, roles) => ({
    email: (await setUserRoles(principal, id, roles)).email,
  }),
  message: ({ email }) => `Roles of ${email} saved.`,
});

export const updateUserDisabled = defineAction({
  args: z.tuple([userId, z.boolean({ error: "disabled must be true or false." })]),
  role: "TenantAdmin",
  revalidate: PAGE,
  run: async (principal, id, disabled) => ({
    email: (await setUserDisabled(principal, id, disabled)).email,
    disabled,
  }),
  message: ({ email, disabled }) => `${email} is ${disabled ? "disabled" : "enabled"}.`,
});

export const endSessionsOfUser = defineAction({
  args: z.tuple([userId]),
  role: "TenantAdmin",
  revalidate: PAGE,
  run: async (principal, id) => ({ email: (await endUserSessions(principal, id)).email }),
  message: ({ email }) => `Sessions of ${email} ended.`,
});

/** An invitation's outcome: the link, shown this once. */
export interface InvitationLink {
  email: string;
  link: string;
}

export const inviteUserAction = defineAction({
  args: z.tuple([
    z.object({
      email: z.string({ error: "email is required." }),
      name: z.string({ error: "name must be text." }).optional(),
      developer: z.boolean({ error: "developer must be true or false." }).optional(),
      tenantAdmin: z.boolean({ error: "tenantAdmin must be true or false." }).optional(),
    }),
  ]),
  role: "TenantAdmin",
  revalidate: PAGE,
  run: async (principal, { email, name, developer, tenantAdmin }) => {
    const invited = await inviteUser(principal, {
      email,
      name: name?.trim() === "" ? undefined : name,
      roles: { developer: developer ?? false, tenantAdmin: tenantAdmin ?? false },
    });
    if (invited.status === "exists") {
      throw new DomainError(
        "CONFLICT",
        `${invited.user.email} is already a user of the tenant.`,
        "email",
      );
    }
    const link = await linkFor(invited.token!);
    const mailed = await mailInvitation(principal, invited.user.email, link);
    return { email: invited.user.email, link, mailed: MAILED[mailed] };
  },
  message: ({ email, mailed }) => `${email} is invited.${mailed}`,
});

export const resendInvitationAction = defineAction({
  args: z.tuple([userId]),
  role: "TenantAdmin",
  run: async (principal, id): Promise<InvitationLink> => {
    const { email, token } = await resendInvitation(principal, id);
    return { email, link: await linkFor(token) };
  },
  message: ({ email }) => `A new link for ${email}; the old one no longer works.`,
});

/** `Copy password reset link`: for when mail is off or did not arrive; shown once. */
export const passwordResetLinkAction = defineAction({
  args: z.tuple([userId]),
  role: "TenantAdmin",
  run: async (principal, id) => {
    const { email, token } = await createPasswordResetLink(principal, id);
    return { email, link: resetLink(token, publicOrigin(await headers()) ?? "") };
  },
  message: ({ email }) => `A password reset link for ${email}; an earlier one no longer works.`,
});

export const revokeInvitationAction = defineAction({
  args: z.tuple([userId]),
  role: "TenantAdmin",
  revalidate: PAGE,
  run: async (principal, id) => ({ email: (await revokeInvitation(principal, id)).email }),
  message: ({ email }) => `The invitation of ${email} is withdrawn.`,
});
