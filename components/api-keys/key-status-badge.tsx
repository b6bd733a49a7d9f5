import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { ApiKeyStatus } from "@/lib/api-keys/schemas";

const LOOK: Record<ApiKeyStatus, { tone: BadgeTone; label: string }> = {
  active: { tone: "green", label: "Active" },
  expired: { tone: "gray", label: "Expired" },
  revoked: { tone: "red", label: "Revoked" },
};

/** A key's status, always in words as well as colour. */
export function KeyStatusBadge({ status }: { status: ApiKeyStatus }) {
  const { tone, label } = LOOK[status];
  return (
    <Badge tone={tone} dot>
      {label}
    </Badge>
  );
}
