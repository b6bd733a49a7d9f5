"use client";

import { useEffect, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/actions/result";
import { describeIsoDuration } from "@/lib/api-keys/duration";

export interface SettingsValues {
  apiKeysEnabled: boolean;
  maxApiKeyExpiry: string;
  maxKeysPerUser: string;
  /** Days; empty is off. */
  revokeUnusedAfterDays: string;
}

/** What `Save` sends: the switch saves itself. */
type Limits = Omit<SettingsValues, "apiKeysEnabled">;

/** Keys that work now and would stop if API keys were switched off (counted up to a cap). */
export interface UsableKeys {
  count: number;
  capped: boolean;
}

const fmt = new Intl.NumberFormat("en-US");

function stopCount({ count, capped }: UsableKeys): string {
  if (capped) return `More than ${fmt.format(count)} active keys will stop working.`;
  if (count === 0) return "No active key will stop working.";
  return `${fmt.format(count)} active key${count === 1 ? "" : "s"} will stop working.`;
}

const PRESETS = [
  { label: "7 days", value: "P7D" },
  { label: "30 days", value: "P30D" },
  { label: "90 days", value: "P90D" },
  { label: "1 year", value: "P1Y" },
];

const FIELD_OF: Record<string, keyof SettingsValues> = {
  api_keys_enabled: "apiKeysEnabled",
  max_api_key_expiry: "maxApiKeyExpiry",
  max_keys_per_user: "maxKeysPerUser",
  revoke_unused_after_days: "revokeUnusedAfterDays",
};

/**
 * The tenant's API-key settings. `Enable API keys` applies at once (switching off asks first and
 * says how many keys stop); the limits wait for `Save`, and leaving with unsaved limits asks first.
 */
export function ApiKeySettingsForm({
  initial,
  usableKeys,
  save,
  setEnabled,
}: {
  initial: SettingsValues;
  usableKeys: UsableKeys;
  save: (input: Limits) => Promise<ActionResult<unknown>>;
  setEnabled: (enabled: boolean) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [values, setValues] = useState<Limits>({
    maxApiKeyExpiry: initial.maxApiKeyExpiry,
    maxKeysPerUser: initial.maxKeysPerUser,
    revokeUnusedAfterDays: initial.revokeUnusedAfterDays,
  });
  const [saved, setSaved] = useState(values);
  const [enabled, setEnabledState] = useState(initial.apiKeysEnabled);
  const [confirmingOff, setConfirmingOff] = useState(false);
  const [leaving, setLeaving] = useState<string | null>(null);
  const [errors, setErrors] = useState<Partial<Record<keyof SettingsValues, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [switching, startSwitching] = useTransition();
  const echo = describeIsoDuration(values.maxApiKeyExpiry);
  const dirty =
    values.maxApiKeyExpiry !== saved.maxApiKeyExpiry ||
    values.maxKeysPerUser !== saved.maxKeysPerUser ||
    values.revokeUnusedAfterDays !== saved.revokeUnusedAfterDays;

  // Unsaved limits are not lost to a reload or a closed tab without the browser asking first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  function switchTo(next: boolean) {
    setConfirmingOff(false);
    setEnabledState(next);
    startSwitching(async () => {
      const result = await setEnabled(next);
      if (result.ok) {
        toast.success(result.message ?? "Saved.");
        router.refresh();
      } else {
        setEnabledState(!next);
        toast.error(result.error);
      }
    });
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const sent = values;
    startTransition(async () => {
      const result = await save(sent);
      if (result.ok) {
        setSaved(sent);
        setErrors({});
        setFormError(null);
        toast.success(result.message ?? "Settings saved.");
        return;
      }
      const field = result.field ? FIELD_OF[result.field] : undefined;
      if (field) {
        setErrors({ [field]: result.error });
        setFormError(null);
      } else {
        setErrors({});
        setFormError(result.error);
      }
    });
  }

  return (
    <form onSubmit={submit} noValidate className="grid max-w-2xl gap-6">
      <section
        aria-labelledby="api-keys-heading"
        className="grid gap-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      >
        <div className="flex flex-wrap items-start justify-between gap-3">
          <h2 id="api-keys-heading" className="text-lg font-semibold">
            API keys
          </h2>
          <Link
            href="/profile/api-keys"
            className="text-sm font-medium text-blue-800 underline"
            onClick={(event) => {
              if (!dirty) return;
              event.preventDefault();
              setLeaving("/profile/api-keys");
            }}
          >
            Generate new
          </Link>
        </div>
        <Switch
          label="Enable API keys"
          description="Lets users with the Developer role generate API keys and use them with the REST API. Applies at once."
          checked={enabled}
          disabled={switching}
          onCheckedChange={(checked) => (checked ? switchTo(true) : setConfirmingOff(true))}
        />
        <Field
          label="Maximum token expiration"
          description={
            <>
              An ISO-8601 duration, such as P30D (30 days) or P1Y (1 year).{" "}
              <span aria-live="polite">{echo ? `Keys can last up to ${echo}.` : null}</span>
            </>
          }
          error={errors.maxApiKeyExpiry}
        >
          <Input
            name="maxApiKeyExpiry"
            value={values.maxApiKeyExpiry}
            onChange={(e) => setValues({ ...values, maxApiKeyExpiry: e.target.value })}
            className="max-w-xs font-mono"
          />
        </Field>
        <div className="-mt-4 flex flex-wrap gap-2" role="group" aria-label="Expiration presets">
          {PRESETS.map((preset) => (
            <Button
              key={preset.value}
              size="sm"
              variant={values.maxApiKeyExpiry === preset.value ? "primary" : "secondary"}
              aria-pressed={values.maxApiKeyExpiry === preset.value}
              onClick={() => setValues({ ...values, maxApiKeyExpiry: preset.value })}
            >
              {preset.label}
            </Button>
          ))}
        </div>
        <Field
          label="Maximum active API keys per user"
          description="From 0 to 1000. Expired and revoked keys do not count."
          error={errors.maxKeysPerUser}
        >
          <Input
            name="maxKeysPerUser"
            type="number"
            inputMode="numeric"
            min={0}
            max={1000}
            step={1}
            value={values.maxKeysPerUser}
            onChange={(e) => setValues({ ...values, maxKeysPerUser: e.target.value })}
            className="max-w-32"
          />
        </Field>
        <Field
          label="Revoke keys unused for N days"
          description="Empty is off (the default). From 1 to 3650: active keys not used for that many days (or, never used, created that long ago) are revoked, and their owners are mailed."
          error={errors.revokeUnusedAfterDays}
        >
          <Input
            name="revokeUnusedAfterDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={3650}
            step={1}
            placeholder="Off"
            value={values.revokeUnusedAfterDays}
            onChange={(e) => setValues({ ...values, revokeUnusedAfterDays: e.target.value })}
            className="max-w-32"
          />
        </Field>
        <Alert variant="info">
          Changes apply to keys generated afterwards only; existing keys keep their expiry.
        </Alert>
        {formError && <Alert variant="error">{formError}</Alert>}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" pending={pending}>
            Save
          </Button>
          {dirty && <span className="text-sm text-slate-600">Unsaved changes</span>}
        </div>
      </section>
      <ConfirmDialog
        open={confirmingOff}
        onOpenChange={setConfirmingOff}
        title="Switch API keys off?"
        description={
          <>
            <strong className="font-semibold text-slate-900">{stopCount(usableKeys)}</strong> Every
            key of the tenant is refused until API keys are switched on again; none is revoked, and
            no one can generate keys meanwhile.
          </>
        }
        confirmLabel="Switch off"
        tone="danger"
        onConfirm={() => switchTo(false)}
      />
      <ConfirmDialog
        open={leaving !== null}
        onOpenChange={(open) => {
          if (!open) setLeaving(null);
        }}
        title="Leave without saving?"
        description="The changes to the expiration, the key limit and the unused-key limit are not saved yet."
        confirmLabel="Leave without saving"
        tone="danger"
        onConfirm={() => {
          if (leaving) router.push(leaving);
        }}
      />
    </form>
  );
}
