"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { CopyButton } from "@/components/ui/copy-button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/input";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/actions/result";

/** What the form sends: lists as typed, one entry a line. */
export interface SsoFormValues {
  issuer: string;
  clientId: string;
  /** Empty keeps the stored secret. */
  clientSecret: string;
  domains: string;
  groupsClaim: string;
  developerGroups: string;
  adminGroups: string;
  required: boolean;
  breakGlassUserId: string;
}

export interface SsoFormInitial {
  values: Omit<SsoFormValues, "clientSecret">;
  secretStored: boolean;
  connected: boolean;
}

const FIELDS: (keyof SsoFormValues)[] = [
  "issuer",
  "clientId",
  "clientSecret",
  "domains",
  "groupsClaim",
  "developerGroups",
  "adminGroups",
  "required",
  "breakGlassUserId",
];

/**
 * Settings → Single sign-on: the tenant's OpenID Connect identity provider, its email domains, the
 * group claim that gives roles, and whether password sign-in is refused (but for a break-glass
 * admin). The client secret is write-only: once stored, the form only says so.
 */
export function SsoSettingsForm({
  initial,
  redirectUri,
  breakGlassCandidates,
  save,
  remove,
}: {
  initial: SsoFormInitial;
  redirectUri: string;
  breakGlassCandidates: { id: string; name: string; email: string }[];
  save: (input: SsoFormValues) => Promise<ActionResult<null>>;
  remove: () => Promise<ActionResult<null>>;
}) {
  const router = useRouter();
  const [values, setValues] = useState<SsoFormValues>({ ...initial.values, clientSecret: "" });
  const [errors, setErrors] = useState<Partial<Record<keyof SsoFormValues, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [confirmingRemove, setConfirmingRemove] = useState(false);
  const [pending, startTransition] = useTransition();
  const set = (patch: Partial<SsoFormValues>) => setValues({ ...values, ...patch });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await save(values);
      if (result.ok) {
        setErrors({});
        setFormError(null);
        // The secret goes no further than the request that stored it.
        setValues((current) => ({ ...current, clientSecret: "" }));
        toast.success(result.message ?? "Single sign-on saved.");
        router.refresh();
        return;
      }
      const field = FIELDS.find((name) => result.field?.startsWith(name));
      setErrors(field ? { [field]: result.error } : {});
      setFormError(field ? null : result.error);
    });
  }

  function disconnect() {
    setConfirmingRemove(false);
    startTransition(async () => {
      const result = await remove();
      if (result.ok) {
        toast.success(result.message ?? "Single sign-on disconnected.");
        router.refresh();
      } else {
        toast.error(result.error);
      }
    });
  }

  return (
    <form onSubmit={submit} noValidate className="grid max-w-2xl gap-6">
      <section
        aria-labelledby="sso-heading"
        className="grid gap-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      >
        <div className="grid gap-1">
          <h2 id="sso-heading" className="text-lg font-semibold">
            Single sign-on
          </h2>
          <p className="text-sm text-slate-600">
            People whose email is in one of the domains below sign in through your OpenID Connect
            identity provider. Their account is created at their first sign-in, with roles from
            their groups.
          </p>
        </div>
        <div className="grid gap-1.5">
          <p className="text-sm font-medium text-slate-900">Redirect URI</p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="max-w-full min-w-0 rounded bg-slate-100 px-2 py-1 font-mono text-sm break-all">
              {redirectUri}
            </code>
            <CopyButton value={redirectUri} label="Copy redirect URI" />
          </div>
          <p className="text-sm text-slate-600">Register it with your identity provider.</p>
        </div>
        <Field
          label="Issuer URL"
          description="For example https://login.example.com. Keyward reads the provider's discovery document from it."
          error={errors.issuer}
        >
          <Input
            name="issuer"
            inputMode="url"
            value={values.issuer}
            onChange={(e) => set({ issuer: e.target.value })}
          />
        </Field>
        <Field label="Client ID" error={errors.clientId}>
          <Input
            name="clientId"
            autoComplete="off"
            value={values.clientId}
            onChange={(e) => set({ clientId: e.target.value })}
          />
        </Field>
        <Field
          label="Client secret"
          description={
            initial.secretStored
              ? "A secret is stored. Leave this empty to keep it, or enter a new one to replace it."
              : "Stored encrypted and never shown again."
          }
          error={errors.clientSecret}
        >
          <Input
            name="clientSecret"
            type="password"
            autoComplete="new-password"
            value={values.clientSecret}
            onChange={(e) => set({ clientSecret: e.target.value })}
          />
        </Field>
        <Field
          label="Email domains"
          description="One a line, such as example.com. A domain belongs to one tenant only."
          error={errors.domains}
        >
          <Textarea
            name="domains"
            value={values.domains}
            onChange={(e) => set({ domains: e.target.value })}
          />
        </Field>
        <Field
          label="Group claim"
          description="The ID token claim that lists the person's groups."
          error={errors.groupsClaim}
        >
          <Input
            name="groupsClaim"
            value={values.groupsClaim}
            onChange={(e) => set({ groupsClaim: e.target.value })}
            className="max-w-xs font-mono"
          />
        </Field>
        <Field
          label="Groups that give Developer"
          description="One a line. A person in none of the groups below has no role."
          error={errors.developerGroups}
        >
          <Textarea
            name="developerGroups"
            value={values.developerGroups}
            onChange={(e) => set({ developerGroups: e.target.value })}
          />
        </Field>
        <Field
          label="Groups that give TenantAdmin"
          description="One a line. Roles follow the groups at every sign-in; the last active admin stays admin."
          error={errors.adminGroups}
        >
          <Textarea
            name="adminGroups"
            value={values.adminGroups}
            onChange={(e) => set({ adminGroups: e.target.value })}
          />
        </Field>
        <div className="grid gap-1.5">
          <div className="flex items-center gap-2">
            <Checkbox
              id="sso-required"
              checked={values.required}
              onCheckedChange={(checked) => set({ required: checked === true })}
              aria-describedby="sso-required-description"
            />
            <label htmlFor="sso-required" className="text-sm font-medium text-slate-900">
              Require SSO
            </label>
          </div>
          <p id="sso-required-description" className="text-sm text-slate-600">
            Password sign-in is refused for the tenant&apos;s users, except the break-glass admin.
          </p>
          {errors.required && <p className="text-sm font-medium text-red-700">{errors.required}</p>}
        </div>
        <Field
          label="Break-glass admin"
          description="A tenant admin who can still sign in with a password if the identity provider fails."
          error={errors.breakGlassUserId}
        >
          {(control) => (
            <select
              {...control}
              name="breakGlassUserId"
              value={values.breakGlassUserId}
              onChange={(e) => set({ breakGlassUserId: e.target.value })}
              className="block h-10 w-full max-w-md min-w-0 rounded-md border border-slate-300 bg-white px-3 text-sm"
            >
              <option value="">None</option>
              {breakGlassCandidates.map((admin) => (
                <option key={admin.id} value={admin.id}>
                  {admin.name} ({admin.email})
                </option>
              ))}
            </select>
          )}
        </Field>
        {formError && <Alert variant="error">{formError}</Alert>}
        <div className="flex flex-wrap items-center gap-3">
          {/* Not "Save": the API-key form above has that button. */}
          <Button type="submit" pending={pending}>
            {initial.connected ? "Update SSO" : "Connect SSO"}
          </Button>
          {initial.connected && (
            <Button variant="secondary" onClick={() => setConfirmingRemove(true)}>
              Disconnect
            </Button>
          )}
        </div>
      </section>
      <ConfirmDialog
        open={confirmingRemove}
        onOpenChange={setConfirmingRemove}
        title="Disconnect single sign-on?"
        description="Everyone signs in with a password again, and the email domains are freed. People who joined through SSO have no password."
        confirmLabel="Disconnect"
        tone="danger"
        onConfirm={disconnect}
      />
    </form>
  );
}
