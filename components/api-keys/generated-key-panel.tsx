"use client";

import { useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { DialogFooter } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { Time } from "@/components/ui/time";
import type { GeneratedKey } from "@/lib/api-keys/dto";

/** The token, once: a read-only field to copy it from and an example call that uses it. */
export function GeneratedKeyPanel({
  generated,
  onDone,
}: {
  generated: GeneratedKey;
  onDone: () => void;
}) {
  const tokenField = useRef<HTMLInputElement>(null);
  const curl = `curl -H "Authorization: Bearer ${generated.token}" ${window.location.origin}/api/v1/users/me`;

  // The form's buttons are gone; put focus on the token so keyboard users land on it.
  useEffect(() => {
    tokenField.current?.focus();
    tokenField.current?.select();
  }, []);

  return (
    <div className="grid gap-4">
      <Alert variant="warning" title="This key cannot be shown again.">
        Copy it now and keep it somewhere safe. Keyward stores only a fingerprint of it; if you lose
        it, delete the key and generate a new one.
      </Alert>
      <p className="text-sm text-slate-700">
        <span className="font-medium">{generated.description}</span> · expires{" "}
        <Time iso={generated.expiry} />
      </p>
      <Field label="API key">
        {(control) => (
          <div className="flex items-center gap-2">
            <Input
              {...control}
              ref={tokenField}
              readOnly
              value={generated.token}
              spellCheck={false}
              autoComplete="off"
              className="font-mono text-xs"
            />
            <CopyButton value={generated.token} label="Copy" />
          </div>
        )}
      </Field>
      <div className="grid gap-1.5">
        <p className="text-sm font-medium text-slate-900">Try it</p>
        <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs whitespace-pre-wrap break-all text-slate-100">
          <code>{curl}</code>
        </pre>
        <div>
          <CopyButton value={curl} label="Copy curl example" />
        </div>
      </div>
      <DialogFooter>
        <Button onClick={onDone}>Done</Button>
      </DialogFooter>
    </div>
  );
}
