"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/actions/result";

/** An invitation's outcome: its link, shown this once. */
export type InvitationOutcome = ActionResult<{ link: string }>;

/** The link of an invitation, shown this once, with a way to copy it. */
export function InvitationLinkDialog({
  email,
  link,
  onClose,
  title = "Invitation link",
  lasts = "7 days",
}: {
  email: string;
  link: string;
  onClose: () => void;
  /** The same dialog shows a password reset link, which lasts less. */
  title?: string;
  lasts?: string;
}) {
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        title={title}
        description={`Send this link to ${email}. It works once, for ${lasts}, and is shown only now: a new one can be made from the user's menu.`}
      >
        <div className="grid gap-2">
          <label htmlFor="invitation-link" className="text-sm font-medium text-slate-900">
            Link
          </label>
          <Input id="invitation-link" readOnly value={link} className="font-mono text-xs" />
        </div>
        <DialogFooter>
          <CopyButton value={link} label="Copy link" />
          <Button onClick={onClose}>Done</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/** `Invite user`: email, name and roles; then the link to send, shown once. */
export function InviteUserDialog({
  invite,
  onClose,
}: {
  invite: (input: {
    email: string;
    name: string;
    developer: boolean;
    tenantAdmin: boolean;
  }) => Promise<InvitationOutcome>;
  onClose: () => void;
}) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [developer, setDeveloper] = useState(true);
  const [tenantAdmin, setTenantAdmin] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [link, setLink] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!email.trim()) {
      setErrors({ email: "Enter the person's email address." });
      return;
    }
    startTransition(async () => {
      const result = await invite({ email: email.trim(), name, developer, tenantAdmin });
      if (!result.ok) {
        if (result.field) setErrors({ [result.field]: result.error });
        else toast.error(result.error);
        return;
      }
      toast.success(result.message ?? "Invited.");
      setLink(result.data.link);
    });
  }

  if (link) return <InvitationLinkDialog email={email.trim()} link={link} onClose={onClose} />;
  return (
    <Dialog open onOpenChange={(open) => !open && !pending && onClose()}>
      <DialogContent
        title="Invite user"
        description="They get a link to set their password and join the tenant."
      >
        <form noValidate onSubmit={handleSubmit} className="grid gap-4">
          <Field label="Email" required error={errors.email}>
            <Input
              name="email"
              type="email"
              autoComplete="off"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </Field>
          <Field
            label="Name"
            description="Optional; they can be renamed later."
            error={errors.name}
          >
            <Input name="name" value={name} onChange={(event) => setName(event.target.value)} />
          </Field>
          <fieldset className="grid gap-2">
            <legend className="text-sm font-medium text-slate-900">Roles</legend>
            <label className="flex items-center gap-2 text-sm">
              <Checkbox
                checked={developer}
                onCheckedChange={(value) => setDeveloper(value === true)}
              />
              Developer
            </label>
            <label className="flex items-center gap-2 text-sm">
              <Checkbox
                checked={tenantAdmin}
                onCheckedChange={(value) => setTenantAdmin(value === true)}
              />
              TenantAdmin
            </label>
          </fieldset>
          <DialogFooter>
            <Button type="button" variant="secondary" onClick={onClose} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              Invite
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
