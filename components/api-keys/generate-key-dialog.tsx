"use client";

import { useState, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import { cn, focusRing } from "@/components/ui/cn";
import type { ActionResult } from "@/lib/actions/result";
import type { GeneratedKey } from "@/lib/api-keys/dto";
import type { ExpiryChoice } from "@/lib/api-keys/quota";
import { GeneratedKeyPanel } from "./generated-key-panel";

const CUSTOM = "custom";

type FieldErrors = { description?: string; expiry?: string; form?: string };

export interface GenerateKeyDialogProps {
  choices: ExpiryChoice[];
  /** The tenant's maximum in words, e.g. "90 days". */
  maxLabel: string;
  /** The tenant's maximum as an ISO-8601 duration, the custom field's starting value. */
  maxExpiry: string;
  /** When set, the button is disabled and described by the element with this id. */
  disabledReasonId?: string;
  /** The page's action behind `Generate`. */
  generate: (input: {
    description: string;
    expiry?: string | null;
  }) => Promise<ActionResult<GeneratedKey>>;
}

function defaultChoice(choices: ExpiryChoice[]): string {
  if (choices.some((choice) => choice.value === "P30D")) return "P30D";
  return choices.at(-1)?.value ?? CUSTOM;
}

/** `Generate new key`: a form, then the token shown once; closing forgets the token. */
export function GenerateKeyDialog({
  choices,
  maxLabel,
  maxExpiry,
  disabledReasonId,
  generate,
}: GenerateKeyDialogProps) {
  const [open, setOpen] = useState(false);
  const [description, setDescription] = useState("");
  const [expiry, setExpiry] = useState(() => defaultChoice(choices));
  const [customExpiry, setCustomExpiry] = useState(maxExpiry);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [generated, setGenerated] = useState<GeneratedKey | null>(null);
  const [askingToClose, setAskingToClose] = useState(false);
  const [pending, startTransition] = useTransition();

  function reset() {
    setDescription("");
    setExpiry(defaultChoice(choices));
    setCustomExpiry(maxExpiry);
    setErrors({});
    setGenerated(null);
    setAskingToClose(false);
  }

  function close() {
    setOpen(false);
    reset();
  }

  function handleOpenChange(next: boolean) {
    // While generating, the dialog stays; once the token is shown, Done closes it even though the
    // page's list may still be refreshing.
    if (pending && !generated) return;
    if (next) setOpen(true);
    // Escape, the close button or a stray click would throw away a token never shown again.
    else if (generated) setAskingToClose(true);
    else close();
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = description.trim();
    if (!trimmed) {
      setErrors({ description: "Description is required." });
      return;
    }
    const requested = expiry === CUSTOM ? customExpiry.trim() : expiry;
    startTransition(async () => {
      const result = await generate({ description: trimmed, expiry: requested });
      if (result.ok) {
        setErrors({});
        setGenerated(result.data);
        toast.success(`API key "${result.data.description}" generated.`);
        return;
      }
      if (result.field === "description") setErrors({ description: result.error });
      else if (result.field === "expiry") setErrors({ expiry: result.error });
      else setErrors({ form: result.error });
    });
  }

  return (
    <Dialog open={open} onOpenChange={handleOpenChange}>
      <Button
        onClick={() => setOpen(true)}
        disabled={disabledReasonId !== undefined}
        aria-describedby={disabledReasonId}
      >
        <Plus aria-hidden="true" />
        Generate new key
      </Button>
      <DialogContent
        title={generated ? "Copy your new API key" : "Generate new key"}
        description={
          generated ? undefined : (
            <>
              The key acts as you in Keyward&apos;s REST API, with the roles you hold at the time of
              each call. How to call it:{" "}
              <Link href="/docs/api" className="text-blue-700 underline">
                REST API docs
              </Link>
              .
            </>
          )
        }
        onInteractOutside={(event) => {
          if (pending && !generated) event.preventDefault();
        }}
        onEscapeKeyDown={(event) => {
          if (pending && !generated) event.preventDefault();
        }}
      >
        {generated ? (
          <GeneratedKeyPanel generated={generated} onDone={close} />
        ) : (
          <form noValidate onSubmit={handleSubmit} className="grid gap-4">
            <Field label="Description" required error={errors.description}>
              <Input
                name="description"
                value={description}
                maxLength={256}
                autoComplete="off"
                placeholder="For example: nightly export script"
                onChange={(event) => setDescription(event.target.value)}
              />
            </Field>
            <Field
              label="Expiration"
              description={`Maximum for your tenant: ${maxLabel}`}
              error={expiry === CUSTOM ? undefined : errors.expiry}
            >
              {(control) => (
                <select
                  {...control}
                  name="expiry"
                  value={expiry}
                  onChange={(event) => setExpiry(event.target.value)}
                  className={cn(
                    "block h-10 w-full cursor-pointer rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm",
                    focusRing,
                  )}
                >
                  {choices.map((choice) => (
                    <option key={choice.value} value={choice.value}>
                      {choice.label}
                    </option>
                  ))}
                  <option value={CUSTOM}>Custom</option>
                </select>
              )}
            </Field>
            {expiry === CUSTOM && (
              <Field
                label="Custom expiration"
                description="An ISO-8601 duration, for example PT12H (12 hours), P14D (14 days) or P2M (2 months)."
                required
                error={errors.expiry}
              >
                <Input
                  name="customExpiry"
                  value={customExpiry}
                  autoComplete="off"
                  spellCheck={false}
                  className="font-mono"
                  onChange={(event) => setCustomExpiry(event.target.value)}
                />
              </Field>
            )}
            {errors.form && (
              <p role="alert" className="text-sm font-medium text-red-700">
                {errors.form}
              </p>
            )}
            <DialogFooter>
              <Button
                variant="secondary"
                disabled={pending}
                onClick={() => handleOpenChange(false)}
              >
                Cancel
              </Button>
              <Button type="submit" pending={pending}>
                Generate
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
      <ConfirmDialog
        open={askingToClose}
        onOpenChange={setAskingToClose}
        title="Have you copied the key?"
        description="Keyward cannot show it again. Without it, delete the key and generate a new one."
        cancelLabel="Go back"
        confirmLabel="Yes, close"
        onConfirm={close}
      />
    </Dialog>
  );
}
