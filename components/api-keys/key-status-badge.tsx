import { StatusBadge } from "@/components/ui/status-badge";
import type { ApiKeyStatus } from "@/lib/api-keys/schemas";
import { INACTIVE_REASON_TEXT, type ApiKeyInactiveReason } from "@/lib/api-keys/status";

/**
 * A key's status, always in words as well as colour. An active key that is refused all the same
 * (its owner or tenant) says why, as the key check decides it.
 */
export function KeyStatusBadge({
  status,
  inactiveReason,
}: {
  status: ApiKeyStatus;
  inactiveReason?: ApiKeyInactiveReason | null;
}) {
  if (status === "active" && inactiveReason) {
    return (
      <StatusBadge status="refused" className="whitespace-normal">
        {INACTIVE_REASON_TEXT[inactiveReason]}
      </StatusBadge>
    );
  }
  return <StatusBadge status={status} />;
}
