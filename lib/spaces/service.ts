import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db";
import { containsIgnoringCase } from "@/lib/db/text-filter";
import { isDatabaseRefusal } from "@/lib/db/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { Conflict, NotFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { parseInput } from "@/lib/validation/parse";
import { createSpaceSchema, spaceIdSchema, type ListSpacesQuery } from "./schemas";

/** A space as the REST API shows it (Qlik Cloud's shape). */
export interface SpaceDto {
  id: string;
  name: string;
  type: string;
  description: string;
  ownerId: string;
  tenantId: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface SpacePage {
  data: SpaceDto[];
  count: number;
  /** Name to continue after / before, when there is a next or previous page. */
  nextAfter?: string;
  prevBefore?: string;
}

type SpaceRow = Prisma.SpaceGetPayload<object>;

function toSpaceDto(space: SpaceRow): SpaceDto {
  return {
    id: space.id,
    name: space.name,
    type: space.type,
    description: space.description,
    ownerId: space.ownerId,
    tenantId: space.tenantId,
    createdAt: space.createdAt.toISOString(),
    createdBy: space.createdById,
    updatedAt: space.updatedAt.toISOString(),
  };
}

/**
 * The tenant's spaces by name. Names are unique in a tenant, so the name alone is the keyset:
 * `after` / `before` come from the opaque `next` / `prev` cursors.
 */
export async function listSpaces(
  principal: Principal,
  query: Pick<ListSpacesQuery, "limit" | "name"> & { after?: string; before?: string },
): Promise<SpacePage> {
  // Qlik's name search: any part of the name, in any case.
  const where: Prisma.SpaceWhereInput = {
    tenantId: principal.tenantId,
    ...(query.name ? { name: containsIgnoringCase(query.name) } : {}),
  };
  // The keyset is a filter of its own: beside a case-insensitive one, PostgreSQL would compare it
  // ignoring case too, out of step with the order.
  const past = (name: Prisma.StringFilter): Prisma.SpaceWhereInput => ({ AND: [where, { name }] });
  const backwards = query.before !== undefined;
  const from = backwards
    ? { lt: query.before }
    : query.after !== undefined
      ? { gt: query.after }
      : {};
  const rows = await db.space.findMany({
    where: past(from),
    orderBy: { name: backwards ? "desc" : "asc" },
    take: query.limit + 1,
  });
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  if (backwards) page.reverse();
  const [count, before, after] = await Promise.all([
    db.space.count({ where }),
    page[0] ? db.space.count({ where: past({ lt: page[0].name }) }) : 0,
    page.at(-1) ? db.space.count({ where: past({ gt: page.at(-1)!.name }) }) : 0,
  ]);
  return {
    data: page.map(toSpaceDto),
    count,
    nextAfter: (backwards ? after > 0 : more) ? page.at(-1)?.name : undefined,
    prevBefore: (backwards ? more : before > 0) ? page[0]?.name : undefined,
  };
}

/** One space of the caller's tenant; another tenant's ID finds nothing. */
export async function getSpace(principal: Principal, id: unknown): Promise<SpaceDto> {
  const spaceId = parseInput(spaceIdSchema, id, "id");
  const space = await db.space.findFirst({ where: { id: spaceId, tenantId: principal.tenantId } });
  if (!space) throw new NotFound("Space not found.");
  return toSpaceDto(space);
}

/** Creates a space owned by the caller; names are unique within the tenant (409 otherwise). */
export async function createSpace(principal: Principal, input: unknown): Promise<SpaceDto> {
  const { name, description, type } = parseInput(createSpaceSchema, input);
  const taken = await db.space.findFirst({ where: { tenantId: principal.tenantId, name } });
  if (taken) throw new Conflict(`A space named "${name}" already exists.`);
  try {
    const space = await db.space.create({
      data: {
        id: newId(),
        tenantId: principal.tenantId,
        name,
        description: description ?? "",
        type: type ?? "shared",
        ownerId: principal.userId,
        createdById: principal.userId,
      },
    });
    return toSpaceDto(space);
  } catch (error) {
    // Two creates of the same name at once: the unique index decides.
    if (isDatabaseRefusal(error, "P2002")) {
      throw new Conflict(`A space named "${name}" already exists.`);
    }
    throw error;
  }
}
