import { requireLayoutSession } from "@/lib/auth/session";

/**
 * Profile settings need a session: checked here, above the pages' loading states, so that a
 * signed-out visitor is redirected to sign-in before anything streams.
 */
export default async function ProfileLayout({ children }: LayoutProps<"/profile">) {
  await requireLayoutSession();
  return children;
}
