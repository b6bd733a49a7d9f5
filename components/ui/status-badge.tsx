import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "./badge";

/**
 * Every status the console shows, with its one colour and its words, so that a status looks the
 * same on every page (an expired key is grey everywhere, a warning amber everywhere).
 */
export const STATUS_LOOK = {
  active: { tone: "green", label: "Active" },
  expired: { tone: "gray", label: "Expired" },
  revoked: { tone: "red", label: "Revoked" },
  disabled: { tone: "gray", label: "Disabled" },
  /** Invited to the tenant, not yet joined. */
  invited: { tone: "amber", label: "Invited" },
  /** Active, yet refused all the same (its owner or tenant): says why. */
  refused: { tone: "amber", label: "Refused" },
  "expires-soon": { tone: "amber", label: "Expires soon" },
  unusual: { tone: "amber", label: "Unusual activity" },
  current: { tone: "blue", label: "This session" },
} as const satisfies Record<string, { tone: BadgeTone; label: string }>;

export type Status = keyof typeof STATUS_LOOK;

/** A status in words as well as colour; `children` words it more precisely. */
export function StatusBadge({
  status,
  children,
  className,
}: {
  status: Status;
  children?: ReactNode;
  className?: string;
}) {
  const { tone, label } = STATUS_LOOK[status];
  return (
    <Badge tone={tone} dot className={className}>
      {children ?? label}
    </Badge>
  );
}
