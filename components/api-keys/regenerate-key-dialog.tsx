"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { cn, focusRing } from "@/components/ui/cn";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { Field } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/actions/result";
import type { RegeneratedKey } from "@/lib/api-keys/dto";
import { GeneratedKeyPanel } from "./generated-key-panel";

export interface RegenerateTarget {
  id: string;
  description: string;
}

export type RegenerateKey = (
  id: string,
  gracePeriod: string,
) => Promise<ActionResult<RegeneratedKey>>;

/** How long the old key keeps working: SPEC §8's PT0S to P7D, a day by default. */
const GRACE_PERIODS = [
  { value: "PT0S", label: "Now (the old key stops at once)" },
  { value: "PT1H", label: "1 hour" },
  { value: "PT24H", label: "24 hours" },
  { value: "P7D", label: "7 days" },
];

/**
 * `Regenerate`: the grace period, then the new token shown once in the panel Generate uses.
 * Mounted per key; `onClose` gets the new key once one was made.
 */
export function RegenerateKeyDialog({
  target,
  regenerate,
  onClose,
}: {
  target: RegenerateTarget;
  regenerate: RegenerateKey;
  onClose: (regenerated: RegeneratedKey | null) => void;
}) {
  const [gracePeriod, setGracePeriod] = useState("PT24H");
  const [error, setError] = useState<string | null>(null);
  const [regenerated, setRegenerated] = useState<RegeneratedKey | null>(null);
  const [pending, startTransition] = useTransition();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await regenerate(target.id, gracePeriod);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setRegenerated(result.data);
      toast.success(`API key "${result.data.description}" regenerated.`);
    });
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open && !pending) onClose(regenerated);
      }}
    >
      <DialogContent
        title={regenerated ? "Copy your new API key" : "Regenerate API key"}
        description={
          regenerated
            ? undefined
            : `"${target.description}" gets a new key with a new ID and token. Programs using the old key must switch to the new one before the old one stops working.`
        }
        // A stray click outside must not throw away a token that can never be shown again.
        onInteractOutside={(event) => {
          if (regenerated || pending) event.preventDefault();
        }}
      >
        {regenerated ? (
          <GeneratedKeyPanel generated={regenerated} onDone={() => onClose(regenerated)} />
        ) : (
          <form noValidate onSubmit={handleSubmit} className="grid gap-4">
            <Field
              label="Old key keeps working for"
              description="Its expiry becomes the end of this period, unless it expires sooner."
              error={error ?? undefined}
            >
              {(control) => (
                <select
                  {...control}
                  name="gracePeriod"
                  value={gracePeriod}
                  onChange={(event) => setGracePeriod(event.target.value)}
                  className={cn(
                    "block h-10 w-full cursor-pointer rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm",
                    focusRing,
                  )}
                >
                  {GRACE_PERIODS.map((choice) => (
                    <option key={choice.value} value={choice.value}>
                      {choice.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <DialogFooter>
              <Button variant="secondary" disabled={pending} onClick={() => onClose(null)}>
                Cancel
              </Button>
              <Button type="submit" pending={pending}>
                Regenerate
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
