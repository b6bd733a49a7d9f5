import { apiRoute, json, otherMethodsRefused } from "@/lib/http/route";
import { andThen } from "@/lib/maybe-promise";
import { getCurrentUser } from "@/lib/users/me";

export const GET = apiRoute((_request, principal) => andThen(getCurrentUser(principal), json));

export const { POST, PUT, PATCH, DELETE } = otherMethodsRefused("GET");
