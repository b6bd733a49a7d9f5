import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Settings · Administration" };

export default async function AdminSettingsPage() {
  await requirePageSession("/admin/settings", "TenantAdmin");
  return (
    <>
      <PageHeader title="Settings" description="Administration" />
      <p className="text-slate-600">This part of the administration center is on its way.</p>
    </>
  );
}
