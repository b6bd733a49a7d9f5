import { pingDatabase } from "@/lib/db";

export async function GET() {
  try {
    await pingDatabase();
    return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
