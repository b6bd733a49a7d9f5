"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/actions/result";

/** The page's action behind `Save`. */
export type RenameKey = (
  id: string,
  description: string,
) => Promise<ActionResult<{ description: string }>>;

export interface RenameTarget {
  id: string;
  description: string;
}

/** `Rename`: one field, `Save`. Mounted per key so that it starts from the current name. */
export function RenameKeyDialog({
  target,
  rename,
  onClose,
}: {
  target: RenameTarget;
  rename: RenameKey;
  onClose: () => void;
}) {
  const [description, setDescription] = useState(target.description);
  const [error, setError] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = description.trim();
    if (!trimmed) {
      setError("Description is required.");
      return;
    }
    startTransition(async () => {
      const result = await rename(target.id, trimmed);
      if (!result.ok) {
        if (result.field === "description") setError(result.error);
        else {
          toast.error(result.error);
          onClose();
        }
        return;
      }
      toast.success(`API key renamed to "${result.data.description}".`);
      onClose();
    });
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => {
        if (!open && !pending) onClose();
      }}
    >
      <DialogContent title="Rename API key" description={`Current name: ${target.description}`}>
        <form noValidate onSubmit={handleSubmit} className="grid gap-4">
          <Field label="Description" required error={error}>
            <Input
              name="description"
              value={description}
              maxLength={256}
              autoComplete="off"
              onChange={(event) => setDescription(event.target.value)}
            />
          </Field>
          <DialogFooter>
            <Button variant="secondary" disabled={pending} onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" pending={pending}>
              Save
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
