import type { Metadata } from "next";
import Link from "next/link";
import { AdminApiKeysTable } from "@/components/admin/api-keys-table";
import { ReportLeaksDialog } from "@/components/admin/report-leaks-dialog";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { searchTenantApiKeys, type AdminKeyPage } from "@/lib/api-keys/admin-search";
import { requirePageSession } from "@/lib/auth/session";
import { isDomainError } from "@/lib/errors";
import { unusualKeyIds } from "@/lib/usage/stats";
import { reportLeakedKeys, revokeSelectedKeys } from "../actions";

export const metadata: Metadata = { title: "API keys · Administration" };

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function AdminApiKeysPage({ searchParams }: PageProps<"/admin/api-keys">) {
  const { principal } = await requirePageSession("/admin/api-keys", "TenantAdmin");
  const params = await searchParams;
  const query = {
    search: first(params.search) ?? "",
    status: first(params.status) ?? "",
    sort: first(params.sort) ?? "-created",
    after: first(params.after),
    before: first(params.before),
  };
  const pageNumber = Math.max(1, Math.floor(Number(first(params.page)) || 1));
  let page: AdminKeyPage | null = null;
  let problem: string | null = null;
  try {
    page = await searchTenantApiKeys(principal, {
      search: query.search,
      status: query.status || undefined,
      sort: query.sort,
      after: query.after,
      before: query.before,
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    problem = error.message;
  }
  const unusual = page
    ? [
        ...(await unusualKeyIds(
          principal.tenantId,
          page.keys.map((key) => key.id),
        )),
      ]
    : [];
  return (
    <>
      <PageHeader
        title="API keys"
        description="Every API key of the tenant. Revoking a key refuses it at once, for good."
        actions={<ReportLeaksDialog report={reportLeakedKeys} />}
      />
      {problem && (
        <Alert variant="error" className="mb-4">
          {problem} <Link href="/admin/api-keys">Show all keys</Link>
        </Alert>
      )}
      <AdminApiKeysTable
        page={page}
        pageNumber={pageNumber}
        search={query.search}
        status={query.status}
        sort={query.sort}
        revoke={revokeSelectedKeys}
        unusual={unusual}
      />
    </>
  );
}
