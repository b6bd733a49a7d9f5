import "server-only";
import { malformedTextPath } from "@/lib/validation/text";
import { HttpProblem } from "./errors";

/** The largest request body Keyward reads; anything larger is refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_TYPES = new Set(["application/json", "application/json-patch+json"]);

function tooLarge(): HttpProblem {
  return new HttpProblem(413, `The request body can be at most ${MAX_BODY_BYTES} bytes.`);
}

/** Reads at most `limit` bytes; stops and refuses as soon as the stream passes it. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The JSON body of a request: JSON content type (415 otherwise), at most 1 MB by Content-Length
 * and by the bytes actually sent (413), well-formed and valid Unicode text (400).
 */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw tooLarge();
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (!type || !JSON_TYPES.has(type)) {
    throw new HttpProblem(415, "Send the request body as application/json.");
  }
  const bytes = await readLimited(request, limit);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpProblem(400, "The request body is not valid UTF-8.");
  }
  if (text.trim() === "") throw new HttpProblem(400, "The request body is empty.");
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new HttpProblem(400, "The request body is not valid JSON.");
  }
  // JSON may spell a lone surrogate ("\ud800"), which is no Unicode text and which the database
  // drivers cannot store.
  const malformed = malformedTextPath(body);
  if (malformed) {
    const pointer = malformed.map((part) => escapePointer(String(part))).join("");
    throw new HttpProblem(
      400,
      `${pointer ? `The text at ${pointer}` : "The request body"} must be valid Unicode text: it holds a lone surrogate.`,
      { pointer },
    );
  }
  return body;
}

/** One JSON Pointer reference token (RFC 6901). */
function escapePointer(token: string): string {
  return `/${token.replaceAll("~", "~0").replaceAll("/", "~1")}`;
}
