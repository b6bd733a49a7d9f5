import { requireLayoutSession } from "@/lib/auth/session";

/**
 * The administration center is a TenantAdmin's: checked here, above the pages' loading states, so
 * that a signed-out visitor is redirected and anyone else gets a 403 before anything streams.
 */
export default async function AdminLayout({ children }: LayoutProps<"/admin">) {
  await requireLayoutSession("TenantAdmin");
  return children;
}
