import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageSession } from "@/lib/auth/session";
import { changePasswordAction } from "./actions";

export const metadata: Metadata = { title: "Password · Profile settings" };

export default async function ProfilePasswordPage() {
  const { user } = await requirePageSession("/profile/password");
  return (
    <>
      <PageHeader
        title="Password"
        description="Profile settings. Changing your password signs you out of every other browser; this one stays signed in. Your API keys are not affected."
      />
      <ChangePasswordForm email={user.email} changePassword={changePasswordAction} />
    </>
  );
}
