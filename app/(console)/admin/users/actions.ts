"use server";

import { revalidatePath } from "next/cache";
import { actionFailure, type ActionResult } from "@/components/admin/action-result";
import { requireActionPrincipal } from "@/lib/auth/session";
import { endUserSessions, setUserDisabled, setUserRoles } from "@/lib/users/admin";

export async function updateUserRoles(
  userId: string,
  roles: { developer: boolean; tenantAdmin: boolean },
): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    const user = await setUserRoles(principal, userId, roles);
    revalidatePath("/admin/users");
    return { ok: true, message: `Roles of ${user.email} saved.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function updateUserDisabled(userId: string, disabled: boolean): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    const user = await setUserDisabled(principal, userId, disabled);
    revalidatePath("/admin/users");
    return { ok: true, message: `${user.email} is ${disabled ? "disabled" : "enabled"}.` };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function endSessionsOfUser(userId: string): Promise<ActionResult> {
  try {
    const principal = await requireActionPrincipal();
    const { email } = await endUserSessions(principal, userId);
    revalidatePath("/admin/users");
    return { ok: true, message: `Sessions of ${email} ended.` };
  } catch (error) {
    return actionFailure(error);
  }
}
