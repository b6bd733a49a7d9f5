import { apiRoute, json, otherMethodsRefused } from "@/lib/http/route";
import { getCurrentUser } from "@/lib/users/me";

export const GET = apiRoute(async (_request, principal) => json(await getCurrentUser(principal)));

export const { POST, PUT, PATCH, DELETE } = otherMethodsRefused("GET");
