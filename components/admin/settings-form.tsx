"use client";

import { useState, useTransition } from "react";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "./action-result";
import { describeIsoDuration } from "@/lib/api-keys/duration";

export interface SettingsValues {
  apiKeysEnabled: boolean;
  maxApiKeyExpiry: string;
  maxKeysPerUser: string;
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
};

export function ApiKeySettingsForm({
  initial,
  save,
}: {
  initial: SettingsValues;
  save: (input: SettingsValues) => Promise<ActionResult>;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<keyof SettingsValues, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const echo = describeIsoDuration(values.maxApiKeyExpiry);

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await save(values);
      if (result.ok) {
        setErrors({});
        setFormError(null);
        toast.success(result.message ?? "Settings saved.");
        return;
      }
      const field = result.field ? FIELD_OF[result.field] : undefined;
      if (field) {
        setErrors({ [field]: result.message });
        setFormError(null);
      } else {
        setErrors({});
        setFormError(result.message);
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
          <Link href="/profile/api-keys" className="text-sm font-medium text-blue-800 underline">
            Generate new
          </Link>
        </div>
        <Switch
          label="Enable API keys"
          description="Lets users with the Developer role generate API keys and use them with the REST API."
          checked={values.apiKeysEnabled}
          onCheckedChange={(checked) => setValues({ ...values, apiKeysEnabled: checked })}
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
        <Alert variant="info">
          Changes apply to keys generated afterwards only; existing keys keep their expiry.
        </Alert>
        {formError && <Alert variant="error">{formError}</Alert>}
        <div>
          <Button type="submit" pending={pending}>
            Save
          </Button>
        </div>
      </section>
    </form>
  );
}
