import type { Metadata } from "next";
import { UsersTable } from "@/components/admin/users-table";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";
import { listTenantUsers } from "@/lib/users/admin";
import { endSessionsOfUser, updateUserDisabled, updateUserRoles } from "./actions";

export const metadata: Metadata = { title: "Users · Administration" };

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function AdminUsersPage({ searchParams }: PageProps<"/admin/users">) {
  const { principal } = await requirePageSession("/admin/users", "TenantAdmin");
  const params = await searchParams;
  const search = (first(params.search) ?? "").slice(0, 256);
  const page = Math.max(1, Math.floor(Number(first(params.page)) || 1));
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
      />
    </>
  );
}
