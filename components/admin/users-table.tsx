"use client";

import { useMemo, useState, useTransition } from "react";
import { usePathname, useRouter } from "next/navigation";
import type { ColumnDef } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import { Pagination } from "@/components/data-table/pagination";
import { SearchInput, TableToolbar } from "@/components/data-table/toolbar";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { Checkbox } from "@/components/ui/checkbox";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Menu, MenuContent, MenuItem, MenuTrigger } from "@/components/ui/menu";
import { toast } from "@/components/ui/toaster";
import type { TenantUserPage, TenantUserView } from "@/lib/users/admin";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/actions/result";
import {
  InvitationLinkDialog,
  InviteUserDialog,
  type InvitationOutcome,
} from "./invite-user-dialog";
import { hrefWith } from "./format";

const PAGE_SIZE = 25;

export function UsersTable({
  result,
  search,
  currentUserId,
  setRoles,
  setDisabled,
  endSessions,
  invite,
  resendInvitation,
  revokeInvitation,
  passwordResetLink,
}: {
  result: TenantUserPage;
  search: string;
  currentUserId: string;
  setRoles: (
    userId: string,
    roles: { developer: boolean; tenantAdmin: boolean },
  ) => Promise<ActionResult<unknown>>;
  setDisabled: (userId: string, disabled: boolean) => Promise<ActionResult<unknown>>;
  endSessions: (userId: string) => Promise<ActionResult<unknown>>;
  invite: (input: {
    email: string;
    name: string;
    developer: boolean;
    tenantAdmin: boolean;
  }) => Promise<InvitationOutcome>;
  resendInvitation: (userId: string) => Promise<InvitationOutcome>;
  revokeInvitation: (userId: string) => Promise<ActionResult<unknown>>;
  passwordResetLink: (userId: string) => Promise<InvitationOutcome>;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [navigating, startNavigation] = useTransition();
  const [saving, startSaving] = useTransition();
  const [confirming, setConfirming] = useState<TenantUserView | null>(null);
  const [ending, setEnding] = useState<TenantUserView | null>(null);
  const [promoting, setPromoting] = useState<TenantUserView | null>(null);
  const [inviting, setInviting] = useState(false);
  const [withdrawing, setWithdrawing] = useState<TenantUserView | null>(null);
  const [newLink, setNewLink] = useState<{
    email: string;
    link: string;
    kind: "invitation" | "reset";
  } | null>(null);

  function showLink(
    user: TenantUserView,
    kind: "invitation" | "reset",
    make: (userId: string) => Promise<InvitationOutcome>,
  ) {
    startSaving(async () => {
      const outcome = await make(user.id);
      if (outcome.ok) setNewLink({ email: user.email, link: outcome.data.link, kind });
      else toast.error(outcome.error);
    });
  }

  function apply(action: () => Promise<ActionResult<unknown>>, after?: () => void) {
    startSaving(async () => {
      const outcome = await action();
      if (outcome.ok) toast.success(outcome.message ?? "Saved.");
      else toast.error(outcome.error);
      after?.();
      router.refresh();
    });
  }

  const columns = useMemo<ColumnDef<TenantUserView, unknown>[]>(() => {
    const roleCell = (user: TenantUserView, role: "Developer" | "TenantAdmin") => {
      const has = user.roles.includes(role);
      // The server refuses removing your own TenantAdmin role; the box says so instead of trying.
      const own = role === "TenantAdmin" && has && user.id === currentUserId;
      const reasonId = `own-admin-${user.id}`;
      return (
        <span className="flex items-center gap-2">
          <Checkbox
            aria-label={`${role} for ${user.email}`}
            aria-describedby={own ? reasonId : undefined}
            checked={has}
            disabled={saving || own}
            onCheckedChange={(value) => {
              if (role === "TenantAdmin" && value === true) {
                setPromoting(user);
                return;
              }
              const developer =
                role === "Developer" ? value === true : user.roles.includes("Developer");
              const tenantAdmin =
                role === "TenantAdmin" ? value === true : user.roles.includes("TenantAdmin");
              apply(() => setRoles(user.id, { developer, tenantAdmin }));
            }}
          />
          {own && (
            <span id={reasonId} className="text-xs text-slate-600">
              Your own role: another tenant admin can remove it.
            </span>
          )}
        </span>
      );
    };
    return [
      {
        id: "name",
        header: "User",
        meta: { card: "title", className: "md:w-[45%] md:max-w-0" },
        cell: ({ row }) => (
          <span className="grid">
            <span className="truncate font-medium text-slate-900" title={row.original.name}>
              {row.original.name}
            </span>
            <span className="truncate text-xs text-slate-600" title={row.original.email}>
              {row.original.email}
            </span>
          </span>
        ),
      },
      {
        id: "developer",
        header: "Developer",
        cell: ({ row }) => roleCell(row.original, "Developer"),
      },
      {
        id: "tenantAdmin",
        header: "TenantAdmin",
        cell: ({ row }) => roleCell(row.original, "TenantAdmin"),
      },
      { id: "activeKeys", header: "Active keys", cell: ({ row }) => row.original.activeKeys },
      {
        id: "status",
        header: "Status",
        cell: ({ row }) => <StatusBadge status={row.original.status} />,
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        meta: { card: "actions", className: "w-12" },
        cell: ({ row }) =>
          row.original.id === currentUserId ? null : (
            <Menu>
              <MenuTrigger label={`More actions for ${row.original.email}`} />
              <MenuContent>
                {row.original.status === "invited" ? (
                  <>
                    <MenuItem
                      onSelect={() => showLink(row.original, "invitation", resendInvitation)}
                    >
                      Copy new link
                    </MenuItem>
                    <MenuItem tone="danger" onSelect={() => setWithdrawing(row.original)}>
                      Revoke invitation
                    </MenuItem>
                  </>
                ) : row.original.status === "active" ? (
                  <>
                    <MenuItem onSelect={() => setEnding(row.original)}>End sessions</MenuItem>
                    <MenuItem onSelect={() => showLink(row.original, "reset", passwordResetLink)}>
                      Copy password reset link
                    </MenuItem>
                    <MenuItem tone="danger" onSelect={() => setConfirming(row.original)}>
                      Disable
                    </MenuItem>
                  </>
                ) : (
                  <MenuItem onSelect={() => apply(() => setDisabled(row.original.id, false))}>
                    Enable
                  </MenuItem>
                )}
              </MenuContent>
            </Menu>
          ),
      },
    ];
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rebuilt when saving toggles.
  }, [saving, currentUserId]);

  const start = (result.page - 1) * PAGE_SIZE + 1;
  return (
    <div className="grid gap-2">
      <TableToolbar>
        <Button onClick={() => setInviting(true)}>Invite user</Button>
        <SearchInput
          key={search}
          defaultValue={search}
          placeholder="Name or email"
          onSearch={(value) =>
            startNavigation(() => router.push(hrefWith(pathname, { search: value.trim() })))
          }
        />
      </TableToolbar>
      <DataTable
        caption="Users of the tenant"
        cardsOnPhone
        columns={columns}
        data={result.users}
        getRowId={(user) => user.id}
        loading={navigating}
        emptyState={
          <EmptyState
            headingLevel={3}
            className="border-0"
            title={search ? "No users match" : "No users yet"}
            description={
              search ? "Change or clear the search to see more." : "Your tenant has no users yet."
            }
          />
        }
      />
      <Pagination
        start={start}
        end={result.users.length === 0 ? 0 : start + result.users.length - 1}
        total={result.total}
        previousHref={
          result.page > 1 ? hrefWith(pathname, { search, page: result.page - 1 }) : null
        }
        nextHref={
          result.page < result.pageCount
            ? hrefWith(pathname, { search, page: result.page + 1 })
            : null
        }
      />
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => {
          if (!open) setConfirming(null);
        }}
        title={`Disable ${confirming?.email ?? "this user"}?`}
        description="They are signed out everywhere at once, for good, and their API keys are refused until you enable them again. Their keys are not revoked."
        confirmLabel="Disable"
        tone="danger"
        pending={saving}
        onConfirm={() => {
          if (confirming)
            apply(
              () => setDisabled(confirming.id, true),
              () => setConfirming(null),
            );
        }}
      />
      <ConfirmDialog
        open={ending !== null}
        onOpenChange={(open) => {
          if (!open) setEnding(null);
        }}
        title={`End all sessions of ${ending?.email ?? "this user"}?`}
        description="They are signed out of every browser at once and must sign in again. Their API keys keep working."
        confirmLabel="End sessions"
        tone="danger"
        pending={saving}
        onConfirm={() => {
          if (ending)
            apply(
              () => endSessions(ending.id),
              () => setEnding(null),
            );
        }}
      />
      {inviting && (
        <InviteUserDialog
          invite={invite}
          onClose={() => {
            setInviting(false);
            router.refresh();
          }}
        />
      )}
      {newLink && (
        <InvitationLinkDialog
          email={newLink.email}
          link={newLink.link}
          onClose={() => setNewLink(null)}
          {...(newLink.kind === "reset"
            ? { title: "Password reset link", lasts: "60 minutes" }
            : {})}
        />
      )}
      <ConfirmDialog
        open={withdrawing !== null}
        onOpenChange={(open) => {
          if (!open) setWithdrawing(null);
        }}
        title={`Revoke the invitation of ${withdrawing?.email ?? "this person"}?`}
        description="Their link stops working and they are removed from the list. You can invite them again later."
        confirmLabel="Revoke invitation"
        tone="danger"
        pending={saving}
        onConfirm={() => {
          if (withdrawing)
            apply(
              () => revokeInvitation(withdrawing.id),
              () => setWithdrawing(null),
            );
        }}
      />
      <ConfirmDialog
        open={promoting !== null}
        onOpenChange={(open) => {
          if (!open) setPromoting(null);
        }}
        title={`Make ${promoting?.email ?? "this user"} a tenant admin?`}
        description="Tenant admins change the tenant's API-key settings, see and revoke every key, assign roles, disable users and read the tenant's events."
        confirmLabel="Make tenant admin"
        pending={saving}
        onConfirm={() => {
          if (promoting)
            apply(
              () =>
                setRoles(promoting.id, {
                  developer: promoting.roles.includes("Developer"),
                  tenantAdmin: true,
                }),
              () => setPromoting(null),
            );
        }}
      />
    </div>
  );
}
