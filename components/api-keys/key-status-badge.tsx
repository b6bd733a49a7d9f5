import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ApiKeyStatus } from "@/lib/api-keys/schemas";
import { INACTIVE_REASON_TEXT, type ApiKeyInactiveReason } from "@/lib/api-keys/status";

const LOOK: Record<ApiKeyStatus, { tone: BadgeTone; label: string }> = {
  active: { tone: "green", label: "Active" },
  expired: { tone: "gray", label: "Expired" },
  revoked: { tone: "red", label: "Revoked" },
};

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
      <Badge tone="amber" dot className="whitespace-normal">
        {INACTIVE_REASON_TEXT[inactiveReason]}
      </Badge>
    );
  }
  const { tone, label } = LOOK[status];
  return (
    <Badge tone={tone} dot>
      {label}
    </Badge>
  );
}
