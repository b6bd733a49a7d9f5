// Requests that Next.js would answer with a 500, and an error in the log, although the client is
// at fault: an unsupported method, a path that is no UTF-8 text, and server action calls from a
// foreign origin, with a body over the limit or one that cannot be decoded. Keyward's server
// (scripts/server.mjs) refuses them here with a 4xx before Next.js sees them, after it has decided
// the request's public origin (public-origin-rule.mjs).
import crypto from "node:crypto";
import busboy from "next/dist/compiled/busboy/index.js";
import { isCrossSiteAction } from "./public-origin-rule.mjs";

/** Methods Keyward answers; Next.js fails on others (TRACE, TRACK) instead of refusing them. */
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
/** Next.js's own limit for a server action's body (`serverActions.bodySizeLimit`, 1 MB). */
export const MAX_ACTION_BODY_BYTES = 1024 * 1024;
/** Next.js refuses a call with more arguments than this (and so does React, for bound ones). */
const MAX_ACTION_ARGUMENTS = 1000;
/** Deeper than any argument Keyward takes, and far from where React's recursive decoder breaks. */
const MAX_ARGUMENT_DEPTH = 64;
/** Where Next.js looks for a body already read (request-meta.ts `actionBody`). */
const NEXT_REQUEST_META = Symbol.for("NextInternalRequestMeta");

const TITLES = {
  400: "Bad request",
  403: "Forbidden",
  405: "Method not allowed",
  413: "Payload too large",
};

class Refusal {
  /** @param {number} status @param {string} message @param {Record<string,string>} [headers] */
  constructor(status, message, headers = {}) {
    this.status = status;
    this.message = message;
    this.headers = headers;
  }
}

/**
 * Next.js's request handler behind the guard: a request it would fail on is answered with its 4xx
 * here, anything else is handed on (a server action's body already read and checked).
 * @param {(request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse) => Promise<void>} handle
 */
export function guardRequests(handle) {
  return async (
    /** @type {import("node:http").IncomingMessage} */ request,
    /** @type {import("node:http").ServerResponse} */ response,
  ) => {
    const refusal = await refusalOf(request);
    if (refusal) return refuse(request, response, refusal);
    return handle(request, response);
  };
}

/** @param {import("node:http").IncomingMessage} request */
export async function refusalOf(request) {
  const method = request.method ?? "";
  if (!METHODS.includes(method)) {
    return new Refusal(405, `Keyward does not answer ${method} requests.`, {
      allow: METHODS.join(", "),
    });
  }
  const path = pathOf(request);
  try {
    decodeURIComponent(path);
  } catch {
    return new Refusal(400, "The request path is not valid: a %-escape in it is no UTF-8 text.");
  }
  // Next.js refuses an action whose Origin is not the host it was sent to (its CSRF check), but
  // with a 500 and an error in the log, and runs one sent cross-site without an Origin.
  if (isCrossSiteAction(request)) {
    return new Refusal(
      403,
      "Server actions are only accepted from Keyward's own pages: the request comes from another site.",
    );
  }
  const action = serverActionKind(request, path);
  if (!action) return null;
  // Next.js answers a URL-encoded call 404 and renders the page for a URL-encoded form, unread.
  if (action === "urlencoded") return null;
  const body = await readBody(request);
  if (body instanceof Refusal) return body;
  const problem = await actionBodyProblem(request, action, body);
  if (problem) return new Refusal(400, `This server action request is malformed: ${problem}.`);
  // Next.js reads the body from here, as it does when a proxy has read it before.
  request[NEXT_REQUEST_META] = { ...request[NEXT_REQUEST_META], actionBody: body };
  return null;
}

/** @param {import("node:http").IncomingMessage} request */
function pathOf(request) {
  const target = request.url ?? "/";
  const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(target)
    ? target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "")
    : target;
  return path.split(/[?#]/, 1)[0] || "/";
}

/**
 * What Next.js takes for a possible server action (its getServerActionRequestMetadata): a POST to
 * a page with a `Next-Action` header (a call from the page's script), or a multipart or URL-encoded
 * form (a form posted without script).
 * @param {import("node:http").IncomingMessage} request
 * @param {string} path
 * @returns {"fetch" | "form" | "urlencoded" | null}
 */
function serverActionKind(request, path) {
  if (request.method !== "POST" || /^\/(api|_next)(\/|$)/.test(path)) return null;
  const type = request.headers["content-type"];
  if (typeof request.headers["next-action"] === "string") return "fetch";
  if (type?.startsWith("multipart/form-data")) return "form";
  if (type === "application/x-www-form-urlencoded") return "urlencoded";
  return null;
}

/**
 * The whole body, or a 413 as soon as it passes Next.js's limit.
 * @param {import("node:http").IncomingMessage} request
 * @returns {Promise<Buffer | Refusal>}
 */
function readBody(request) {
  const tooLarge = new Refusal(
    413,
    `A server action's request body can be at most ${MAX_ACTION_BODY_BYTES} bytes.`,
  );
  if (Number(request.headers["content-length"]) > MAX_ACTION_BODY_BYTES) {
    return Promise.resolve(tooLarge);
  }
  return new Promise((resolve) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    // Past the limit the rest flows on unkept, as Node.js discards any body left unread, so that
    // the client reads the answer and the connection serves its next request.
    const onData = (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size <= MAX_ACTION_BODY_BYTES) chunks.push(chunk);
      else {
        chunks.length = 0;
        resolve(tooLarge);
      }
    };
    request.on("data", onData);
    // (Once resolved, later calls change nothing.)
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", () =>
      resolve(new Refusal(400, "The request body was not received whole.")),
    );
  });
}

/**
 * Why Next.js and React could not decode the call's arguments from `body`, or null. Accepts
 * exactly what React's encodeReply makes of plain values (objects, arrays, text, numbers, dates,
 * FormData), which is all that Keyward's actions take.
 * @param {import("node:http").IncomingMessage} request
 * @param {"fetch" | "form"} kind
 * @param {Buffer} body
 */
async function actionBodyProblem(request, kind, body) {
  const type = request.headers["content-type"] ?? "";
  const multipart = type.startsWith("multipart/form-data");
  if (kind === "fetch" && !multipart) {
    return replyProblem(new Map([["0", [body.toString("utf-8")]]]), "");
  }
  const fields =
    kind === "fetch" ? await busboyFields(request, body) : await formFields(type, body);
  if (typeof fields === "string") return fields;
  if (kind === "fetch") return replyProblem(fields, "");
  // A form posted without script names its action in `$ACTION_ID_<id>`, or carries it with its
  // bound arguments (a form of useActionState) as a reply under `$ACTION_<n>:`.
  for (const name of fields.keys()) {
    if (!name.startsWith("$ACTION_REF_")) continue;
    const problem = replyProblem(fields, `$ACTION_${name.slice("$ACTION_REF_".length)}:`, true);
    if (problem) return problem;
  }
  return null;
}

/**
 * A fetch action's multipart body as Next.js parses it (busboy).
 * @param {import("node:http").IncomingMessage} request
 * @param {Buffer} body
 * @returns {Promise<Map<string, unknown[]> | string>}
 */
function busboyFields(request, body) {
  return new Promise((resolve) => {
    /** @type {Map<string, unknown[]>} */
    const fields = new Map();
    const add = (/** @type {string} */ name, /** @type {unknown} */ value) =>
      fields.set(name, [...(fields.get(name) ?? []), value]);
    let parser;
    try {
      parser = busboy({
        defParamCharset: "utf8",
        headers: request.headers,
        limits: { fieldSize: MAX_ACTION_BODY_BYTES },
      });
    } catch {
      resolve("the multipart body has no boundary");
      return;
    }
    parser.on("field", (/** @type {string} */ name, /** @type {string} */ value) =>
      add(name, value),
    );
    parser.on(
      "file",
      (/** @type {string} */ name, /** @type {import("node:stream").Readable} */ file) => {
        add(name, file);
        file.resume();
      },
    );
    parser.on("error", () => resolve("the multipart body cannot be read"));
    parser.on("close", () => resolve(fields));
    parser.end(body);
  });
}

/**
 * A form's multipart body as Next.js parses it (the Fetch API's FormData).
 * @param {string} type
 * @param {Buffer} body
 * @returns {Promise<Map<string, unknown[]> | string>}
 */
async function formFields(type, body) {
  try {
    const form = await new Request("http://localhost", {
      method: "POST",
      headers: { "content-type": type },
      body,
    }).formData();
    /** @type {Map<string, unknown[]>} */
    const fields = new Map();
    for (const [name, value] of form) fields.set(name, [...(fields.get(name) ?? []), value]);
    return fields;
  } catch {
    return "the multipart body cannot be read";
  }
}

/**
 * Checks a React reply (encodeReply's format): row 0 under `prefix` is JSON, the call's arguments
 * (or, for a form, the action's descriptor `{id, bound}`, with its bound arguments in a row of
 * their own); strings that start with `$` are React's references, and only those that plain
 * values make are taken.
 * @param {Map<string, unknown[]>} fields
 * @param {string} prefix
 * @param {boolean} [descriptor]
 */
function replyProblem(fields, prefix, descriptor = false) {
  const root = row(fields, prefix, 0);
  if (typeof root !== "object") return root;
  /** @type {{ value: unknown; depth: number }[]} */
  const pending = [];
  if (descriptor) {
    if (root.value === null || typeof root.value !== "object" || Array.isArray(root.value)) {
      return "the action's descriptor is not a JSON object";
    }
    const { id, bound, ...rest } = /** @type {Record<string, unknown>} */ (root.value);
    if (typeof id !== "string" || id.startsWith("$")) return "the action's descriptor has no ID";
    pending.push({ value: rest, depth: 0 });
    if (bound !== null) {
      const reference = typeof bound === "string" && /^\$@([0-9a-f]{1,8})$/.exec(bound);
      if (!reference) return "the action's bound arguments are not a reference to a part";
      const args = row(fields, prefix, Number.parseInt(reference[1], 16));
      if (typeof args !== "object") return args;
      const problem = argumentsProblem(args.value);
      if (problem) return problem;
      pending.push({ value: args.value, depth: 0 });
    }
  } else {
    const problem = argumentsProblem(root.value);
    if (problem) return problem;
    pending.push({ value: root.value, depth: 0 });
  }
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { value, depth } = item;
    if (typeof value === "string") {
      if (value.startsWith("$") && !PLAIN_REFERENCE.test(value)) {
        return `"${value.slice(0, 12)}" is a reference this server does not take`;
      }
    } else if (value !== null && typeof value === "object") {
      if (depth >= MAX_ARGUMENT_DEPTH) {
        return `the arguments are nested deeper than ${MAX_ARGUMENT_DEPTH} levels`;
      }
      for (const child of Object.values(value)) pending.push({ value: child, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * What React's decoder makes of plain values: an escaped `$`, undefined, NaN, ±Infinity, -0, a
 * date, a BigInt (React refuses more than 300 digits) and a FormData.
 */
const PLAIN_REFERENCE = /^\$(\$|undefined$|NaN$|Infinity$|-Infinity$|-0$|D|n-?\d{1,300}$|K)/;

/** @param {unknown} args */
function argumentsProblem(args) {
  if (!Array.isArray(args)) return "the arguments are not a JSON array";
  if (args.length > MAX_ACTION_ARGUMENTS) {
    return `a call takes at most ${MAX_ACTION_ARGUMENTS} arguments`;
  }
  return null;
}

/**
 * Part `id` of a reply: exactly one text field, holding JSON.
 * @param {Map<string, unknown[]>} fields
 * @param {string} prefix
 * @param {number} id
 * @returns {{ value: unknown } | string}
 */
function row(fields, prefix, id) {
  const values = fields.get(`${prefix}${id}`) ?? [];
  if (values.length !== 1 || typeof values[0] !== "string") {
    return `part ${id} of the arguments is missing or not one text field`;
  }
  try {
    return { value: JSON.parse(values[0]) };
  } catch {
    return `part ${id} of the arguments is not valid JSON`;
  }
}

/**
 * The refusal in the `{errors:[…]}` body under /api/, as plain text elsewhere.
 * @param {import("node:http").IncomingMessage} request
 * @param {import("node:http").ServerResponse} response
 * @param {Refusal} refusal
 */
function refuse(request, response, { status, message, headers }) {
  const api = /^\/api(\/|$)/.test(pathOf(request));
  const body = api
    ? JSON.stringify({
        errors: [
          {
            code: `HTTP-${status}`,
            title: TITLES[status],
            detail: message,
            status: String(status),
          },
        ],
        traceId: crypto.randomBytes(16).toString("hex"),
      })
    : `${message}\n`;
  response.writeHead(status, {
    "content-type": api ? "application/json" : "text/plain; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
    ...headers,
  });
  response.end(request.method === "HEAD" ? undefined : body);
}
