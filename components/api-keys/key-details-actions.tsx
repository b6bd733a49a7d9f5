"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Ban, Pencil, RefreshCw, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/actions/result";
import { RegenerateKeyDialog, type RegenerateKey } from "./regenerate-key-dialog";
import { RenameKeyDialog, type RenameKey } from "./rename-key-dialog";

interface KeyTarget {
  id: string;
  description: string;
}

/**
 * The owner's actions on a key's page: `Rename`, `Regenerate` (an active key; then on to the new
 * key's page) and `Delete` (then back to the list).
 */
export function OwnerKeyActions({
  apiKey,
  active,
  remove,
  regenerate,
  rename,
}: {
  apiKey: KeyTarget;
  active: boolean;
  remove: (id: string) => Promise<ActionResult<unknown>>;
  regenerate: RegenerateKey;
  rename: RenameKey;
}) {
  const router = useRouter();
  const [renaming, setRenaming] = useState(false);
  const [regenerating, setRegenerating] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [pending, startTransition] = useTransition();

  function confirmDelete() {
    startTransition(async () => {
      const result = await remove(apiKey.id);
      if (!result.ok) {
        toast.error(result.error);
        setDeleting(false);
        return;
      }
      toast.success(`API key "${apiKey.description}" deleted.`);
      router.push("/profile/api-keys");
    });
  }

  return (
    <>
      <Button variant="secondary" onClick={() => setRenaming(true)}>
        <Pencil aria-hidden="true" />
        Rename
      </Button>
      {active && (
        <Button variant="secondary" onClick={() => setRegenerating(true)}>
          <RefreshCw aria-hidden="true" />
          Regenerate
        </Button>
      )}
      <Button variant="danger" onClick={() => setDeleting(true)}>
        <Trash2 aria-hidden="true" />
        Delete
      </Button>
      {renaming && (
        <RenameKeyDialog
          target={apiKey}
          rename={rename}
          onClose={() => {
            setRenaming(false);
            router.refresh();
          }}
        />
      )}
      {regenerating && (
        <RegenerateKeyDialog
          target={apiKey}
          regenerate={regenerate}
          onClose={(regenerated) => {
            setRegenerating(false);
            if (regenerated) router.push(`/profile/api-keys/${regenerated.id}`);
          }}
        />
      )}
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title="Delete API key?"
        description={
          <>
            <span className="font-medium text-slate-900">{apiKey.description}</span> (
            <code className="font-mono text-xs">{apiKey.id}</code>) will be deleted. Deletion is
            permanent and cannot be undone: programs using this key are refused from their next
            call.
          </>
        }
        confirmLabel="Delete"
        tone="danger"
        pending={pending}
        onConfirm={confirmDelete}
      />
    </>
  );
}

/** A tenant admin's action on a key's page: `Revoke`, for active keys. */
export function AdminKeyActions({
  apiKey,
  revoke,
}: {
  apiKey: KeyTarget;
  revoke: (ids: string[]) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();

  function confirmRevoke() {
    startTransition(async () => {
      const result = await revoke([apiKey.id]);
      if (result.ok) toast.success(result.message ?? "Revoked.");
      else toast.error(result.error);
      setConfirming(false);
      router.refresh();
    });
  }

  return (
    <>
      <Button variant="danger" onClick={() => setConfirming(true)}>
        <Ban aria-hidden="true" />
        Revoke
      </Button>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Revoke "${apiKey.description}"?`}
        description="Revocation is immediate and irreversible: programs using this key are refused on their next request, and the key cannot be made active again."
        confirmLabel="Revoke"
        tone="danger"
        pending={pending}
        onConfirm={confirmRevoke}
      />
    </>
  );
}
