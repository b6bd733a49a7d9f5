import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { UsersTable } from "@/components/admin/users-table";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";
import { listTenantUsers } from "@/lib/users/admin";
import {
  endSessionsOfUser,
  inviteUserAction,
  resendInvitationAction,
  passwordResetLinkAction,
  revokeInvitationAction,
  updateUserDisabled,
  updateUserRoles,
} from "./actions";

export const metadata: Metadata = { title: "Users · Administration" };

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `?page=`: absent is the first; otherwise a whole number from 1 up to a billion, or null. */
function pageNumber(value: string | undefined): number | null {
  if (value === undefined || value === "") return 1;
  return /^[1-9]\d{0,8}$/.test(value) ? Number(value) : null;
}

export default async function AdminUsersPage({ searchParams }: PageProps<"/admin/users">) {
  const { principal } = await requirePageSession("/admin/users", "TenantAdmin");
  const params = await searchParams;
  const search = (first(params.search) ?? "").slice(0, 256);
  const page = pageNumber(first(params.page));
  // A page that cannot exist (page=abc, page=1e400) is one that is not there.
  if (page === null) notFound();
  const users = await listTenantUsers(principal, { search, page });
  return (
    <>
      <PageHeader
        title="Users"
        description="The tenant's users and their roles. Developers can generate API keys; tenant admins manage the tenant."
      />
      <UsersTable
        result={users}
        search={search}
        currentUserId={principal.userId}
        setRoles={updateUserRoles}
        setDisabled={updateUserDisabled}
        endSessions={endSessionsOfUser}
        invite={inviteUserAction}
        resendInvitation={resendInvitationAction}
        revokeInvitation={revokeInvitationAction}
        passwordResetLink={passwordResetLinkAction}
      />
    </>
  );
}
