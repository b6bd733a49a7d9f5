import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "REST API" };

const BASE = "https://<your-keyward-host>/api/v1";

const ENDPOINTS: { method: string; path: string; who: string; example: string }[] = [
  {
    method: "GET",
    path: "/api-keys",
    who: "Anyone: your own keys. TenantAdmin: every key of the tenant.",
    example: `curl -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/api-keys?status=active&sort=-created&limit=20"`,
  },
  {
    method: "POST",
    path: "/api-keys",
    who: "Developer. The response holds the new key's token, shown this once.",
    example: `curl -X POST -H "Authorization: Bearer $KEYWARD_API_KEY" -H "Content-Type: application/json" \\
  -d '{"description":"CI pipeline","expiry":"P30D"}' "${BASE}/api-keys"`,
  },
  {
    method: "GET",
    path: "/api-keys/{id}",
    who: "The key's owner, or a TenantAdmin.",
    example: `curl -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/api-keys/<key-id>"`,
  },
  {
    method: "PATCH",
    path: "/api-keys/{id}",
    who: "The key's owner: rename it with a JSON Patch.",
    example: `curl -X PATCH -H "Authorization: Bearer $KEYWARD_API_KEY" -H "Content-Type: application/json" \\
  -d '[{"op":"replace","path":"/description","value":"Nightly export"}]' "${BASE}/api-keys/<key-id>"`,
  },
  {
    method: "DELETE",
    path: "/api-keys/{id}",
    who: "The owner deletes the key; a TenantAdmin revokes another user's key.",
    example: `curl -X DELETE -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/api-keys/<key-id>"`,
  },
  {
    method: "POST",
    path: "/api-keys/{id}/regenerate",
    who: "The key's owner (a Keyward extension): a new key with the same description, its token shown this once; the old key keeps working for the grace period (PT0S to P7D, default PT24H).",
    example: `curl -X POST -H "Authorization: Bearer $KEYWARD_API_KEY" -H "Content-Type: application/json" \\
  -d '{"gracePeriod":"PT1H"}' "${BASE}/api-keys/<key-id>/regenerate"`,
  },
  {
    method: "POST",
    path: "/api-keys/leaks",
    who: "Anyone, without credentials (a Keyward extension): report up to 1,000 tokens found in the open. Each that is a Keyward key is revoked and its owner mailed; the answer is the same 202 whatever the tokens were.",
    example: `curl -X POST -H "Content-Type: application/json" \\
  -d '{"tokens":["kw_…"]}' "${BASE}/api-keys/leaks"`,
  },
  {
    method: "GET",
    path: "/api-keys/configs/{tenantId}",
    who: "TenantAdmin: the tenant's API-key settings.",
    example: `curl -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/api-keys/configs/<tenant-id>"`,
  },
  {
    method: "PATCH",
    path: "/api-keys/configs/{tenantId}",
    who: "TenantAdmin: change api_keys_enabled, max_api_key_expiry or max_keys_per_user.",
    example: `curl -X PATCH -H "Authorization: Bearer $KEYWARD_API_KEY" -H "Content-Type: application/json" \\
  -d '[{"op":"replace","path":"/max_keys_per_user","value":10}]' "${BASE}/api-keys/configs/<tenant-id>"`,
  },
  {
    method: "GET",
    path: "/spaces",
    who: "Anyone: the tenant's spaces, 10 per page; follow links.next.href for more.",
    example: `curl -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/spaces?limit=10&name=Sales"`,
  },
  {
    method: "POST",
    path: "/spaces",
    who: "Anyone: create a space; names are unique in the tenant.",
    example: `curl -X POST -H "Authorization: Bearer $KEYWARD_API_KEY" -H "Content-Type: application/json" \\
  -d '{"name":"Finance","description":"Monthly reports"}' "${BASE}/spaces"`,
  },
  {
    method: "GET",
    path: "/spaces/{id}",
    who: "Anyone: one space of the tenant.",
    example: `curl -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/spaces/<space-id>"`,
  },
  {
    method: "GET",
    path: "/audits",
    who: "TenantAdmin: the tenant's audit events, newest first; filter by eventType, userId and eventTime (an ISO-8601 interval), follow links.next.href for more.",
    example: `curl -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/audits?eventType=api-key.revoked&eventTime=2026-11-01T00:00:00Z/&limit=20"`,
  },
  {
    method: "GET",
    path: "/audits/{id}",
    who: "TenantAdmin: one audit event of the tenant.",
    example: `curl -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/audits/<event-id>"`,
  },
  {
    method: "GET",
    path: "/users/me",
    who: "Anyone: the user the key acts as.",
    example: `curl -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/users/me"`,
  },
  {
    method: "GET",
    path: "/users",
    who: 'TenantAdmin: the tenant\'s users; filter SCIM-style, e.g. name co "ada" and status eq "active".',
    example: `curl -G -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/users" \\
  --data-urlencode 'filter=assignedRoles.name eq "Developer"' -d limit=20 -d sort=-createdAt`,
  },
  {
    method: "POST",
    path: "/users",
    who: "TenantAdmin: create a user, invited until they accept their link.",
    example: `curl -X POST -H "Authorization: Bearer $KEYWARD_API_KEY" -H "Content-Type: application/json" \\
  -d '{"email":"ada@example.com","name":"Ada","assignedRoles":[{"name":"Developer"}]}' "${BASE}/users"`,
  },
  {
    method: "GET",
    path: "/users/actions/count",
    who: "TenantAdmin: how many users match, with the same filter.",
    example: `curl -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/users/actions/count"`,
  },
  {
    method: "POST",
    path: "/users/actions/invite",
    who: "TenantAdmin: invite people; one result per invitee (ok, exists or an error).",
    example: `curl -X POST -H "Authorization: Bearer $KEYWARD_API_KEY" -H "Content-Type: application/json" \\
  -d '{"invitees":[{"email":"grace@example.com","name":"Grace"}]}' "${BASE}/users/actions/invite"`,
  },
  {
    method: "GET",
    path: "/users/{userId}",
    who: "Yourself, or anyone of the tenant for a TenantAdmin.",
    example: `curl -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/users/<user-id>"`,
  },
  {
    method: "PATCH",
    path: "/users/{userId}",
    who: "TenantAdmin: replace /name, /assignedRoles or /status (active, disabled), all or nothing.",
    example: `curl -X PATCH -H "Authorization: Bearer $KEYWARD_API_KEY" -H "Content-Type: application/json" \\
  -d '[{"op":"replace","path":"/assignedRoles","value":[{"name":"Developer"}]}]' "${BASE}/users/<user-id>"`,
  },
  {
    method: "DELETE",
    path: "/users/{userId}",
    who: "TenantAdmin: delete a user with their keys and sessions; their events remain.",
    example: `curl -X DELETE -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/users/<user-id>"`,
  },
];

function Code({ children }: { children: string }) {
  return (
    // Long commands wrap, anywhere if they must, so that nothing is cut off on a narrow screen.
    <pre className="rounded-md bg-slate-900 p-3 text-sm whitespace-pre-wrap text-slate-100 wrap-anywhere">
      <code>{children}</code>
    </pre>
  );
}

export default function ApiDocsPage() {
  return (
    <div className="max-w-4xl space-y-8">
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold">Keyward REST API</h1>
        <p>
          Every call sends an API key as a Bearer token. Generate a key under{" "}
          <Link className="text-blue-700 underline" href="/profile/api-keys">
            Profile settings → API keys
          </Link>
          . Never put a key in a URL: keys in the query string are refused. The full description is
          the{" "}
          <a className="text-blue-700 underline" href="/api/v1/openapi.json">
            OpenAPI 3.1 document
          </a>
          .
        </p>
      </header>

      <section className="space-y-3" aria-labelledby="curl">
        <h2 id="curl" className="text-xl font-semibold">
          With curl
        </h2>
        <Code>{`export KEYWARD_API_KEY="kw_…"\ncurl -H "Authorization: Bearer $KEYWARD_API_KEY" "${BASE}/users/me"`}</Code>
      </section>

      <section className="space-y-3" aria-labelledby="postman">
        <h2 id="postman" className="text-xl font-semibold">
          With Postman
        </h2>
        <ol className="list-decimal space-y-1 pl-6">
          <li>Create a new request and choose the GET method.</li>
          <li>
            Enter the URL of an endpoint, for example <code>{`${BASE}/users/me`}</code>.
          </li>
          <li>
            Open the <strong>Auth</strong> tab and choose <strong>Bearer Token</strong> as the type.
          </li>
          <li>Paste your API key into the Token field.</li>
          <li>
            Click <strong>Send</strong>.
          </li>
        </ol>
      </section>

      <section className="space-y-3" aria-labelledby="answers">
        <h2 id="answers" className="text-xl font-semibold">
          Answers and limits
        </h2>
        <p>
          Errors come as{" "}
          <code>{`{"errors":[{code, title, detail, status, source}], "traceId"}`}</code>. A missing,
          unknown, expired or revoked key gets the same 401. Each key may make 1000 requests a
          minute; past that, and after repeated refused keys from one address, Keyward answers 429
          with a <code>Retry-After</code> header in seconds. Bodies are JSON, at most 1 MB.
        </p>
      </section>

      <section className="space-y-4" aria-labelledby="endpoints">
        <h2 id="endpoints" className="text-xl font-semibold">
          Endpoints
        </h2>
        {ENDPOINTS.map((endpoint) => (
          <article key={`${endpoint.method} ${endpoint.path}`} className="space-y-2">
            <h3 className="font-mono text-base font-semibold">
              {endpoint.method} /api/v1{endpoint.path}
            </h3>
            <p>{endpoint.who}</p>
            <Code>{endpoint.example}</Code>
          </article>
        ))}
      </section>
    </div>
  );
}
