import { PageLoading } from "@/components/shell/page-loading";

// Only above pages that never answer notFound() or forbidden() themselves: below this boundary the
// status is sent before the page runs (the layouts above make the checks that set it).
export default function Loading() {
  return <PageLoading />;
}
