import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Events · Administration" };

export default async function AdminEventsPage() {
  await requirePageSession("/admin/events", "TenantAdmin");
  return (
    <>
      <PageHeader title="Events" description="Administration" />
      <p className="text-slate-600">This part of the administration center is on its way.</p>
    </>
  );
}
