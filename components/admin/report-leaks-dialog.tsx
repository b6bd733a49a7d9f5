"use client";

import { useState, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { ShieldAlert } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { Field, Textarea } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions/result";

export interface LeakOutcomeKey {
  id: string;
  description: string;
  revokedNow: boolean;
}

type Outcome = { found: number; keys: LeakOutcomeKey[] };

export type ReportLeaks = (text: string) => Promise<ActionResult<Outcome>>;

function OutcomeList({ outcome }: { outcome: Outcome }) {
  if (outcome.found === 0) {
    return <p className="text-sm text-slate-700">No Keyward token (kw_…) was found in the text.</p>;
  }
  return (
    <div className="grid gap-2 text-sm text-slate-700" role="status">
      <p>
        {outcome.found} token{outcome.found === 1 ? "" : "s"} reported.{" "}
        {outcome.keys.length === 0
          ? "None is a key of your tenant."
          : `${outcome.keys.length} ${outcome.keys.length === 1 ? "is a key" : "are keys"} of your tenant:`}
      </p>
      {outcome.keys.length > 0 && (
        <ul className="grid gap-1">
          {outcome.keys.map((key) => (
            <li key={key.id}>
              <Link
                href={`/admin/api-keys/${key.id}`}
                className="text-blue-800 underline underline-offset-2"
              >
                {key.description}
              </Link>{" "}
              <code className="font-mono text-xs">{key.id}</code>:{" "}
              {key.revokedNow ? "revoked now; its owner is mailed" : "was revoked already"}
            </li>
          ))}
        </ul>
      )}
      <p className="text-slate-600">
        Tokens of other tenants&apos; keys are revoked too, without showing them here.
      </p>
    </div>
  );
}

/** `Report leaked keys`: paste text, every kw_ token in it is reported and its key revoked. */
export function ReportLeaksDialog({ report }: { report: ReportLeaks }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, startTransition] = useTransition();

  function handleOpenChange(next: boolean) {
    if (pending) return;
    setOpen(next);
    if (!next) {
      setText("");
      setError(null);
      setOutcome(null);
    }
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await report(text);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setOutcome(result.data);
    });
  }

  return (
    <Dialog open={open} onOpenChange={handleOpenChange}>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        <ShieldAlert aria-hidden="true" />
        Report leaked keys
      </Button>
      <DialogContent
        title="Report leaked keys"
        description="Paste text that holds Keyward tokens (kw_…), such as a log or a commit. Every key of which a token is found is revoked at once, for good, and its owner is mailed."
      >
        {outcome ? (
          <div className="grid gap-4">
            <OutcomeList outcome={outcome} />
            <DialogFooter>
              <Button onClick={() => handleOpenChange(false)}>Done</Button>
            </DialogFooter>
          </div>
        ) : (
          <form noValidate onSubmit={handleSubmit} className="grid gap-4">
            <Field label="Text with leaked tokens" error={error ?? undefined}>
              <Textarea
                name="leakedText"
                rows={6}
                value={text}
                spellCheck={false}
                autoComplete="off"
                className="font-mono text-xs"
                onChange={(event) => setText(event.target.value)}
              />
            </Field>
            <DialogFooter>
              <Button
                variant="secondary"
                disabled={pending}
                onClick={() => handleOpenChange(false)}
              >
                Cancel
              </Button>
              <Button type="submit" variant="danger" pending={pending}>
                Revoke leaked keys
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
