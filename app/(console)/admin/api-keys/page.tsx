import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API keys · Administration" };

export default async function AdminApiKeysPage() {
  await requirePageSession("/admin/api-keys", "TenantAdmin");
  return (
    <>
      <PageHeader title="API keys" description="Administration" />
      <p className="text-slate-600">This part of the administration center is on its way.</p>
    </>
  );
}
