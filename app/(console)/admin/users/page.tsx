import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Users · Administration" };

export default async function AdminUsersPage() {
  await requirePageSession("/admin/users", "TenantAdmin");
  return (
    <>
      <PageHeader title="Users" description="Administration" />
      <p className="text-slate-600">This part of the administration center is on its way.</p>
    </>
  );
}
