import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API keys · Profile settings" };

export default async function ProfileApiKeysPage() {
  const { user } = await requirePageSession("/profile/api-keys");
  return (
    <>
      <PageHeader title="API keys" description={`Profile settings of ${user.name}`} />
      <p className="text-slate-600">Your API keys will be listed here.</p>
    </>
  );
}
