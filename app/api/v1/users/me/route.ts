import { apiRoute, json } from "@/lib/http/route";
import { getCurrentUser } from "@/lib/users/me";

export const GET = apiRoute(async (_request, principal) => json(await getCurrentUser(principal)));
