"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";

export function SignOutEverywhere({
  signOutEverywhere,
}: {
  signOutEverywhere: () => Promise<ActionResult<unknown>>;
}) {
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Sign out everywhere
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title="Sign out everywhere?"
        description="This ends your session in every browser, this one included; each must sign in again. Your API keys keep working."
        confirmLabel="Sign out everywhere"
        tone="danger"
        pending={pending}
        onConfirm={() =>
          startTransition(async () => {
            // On success the action goes to sign-in; it answers only when something went wrong.
            const outcome = await signOutEverywhere();
            if (!outcome.ok) {
              toast.error(outcome.error);
              setOpen(false);
            }
          })
        }
      />
    </>
  );
}
