/** SPEC §2: the demo tenants and accounts that `npm start` seeds into an empty database. */
export const DEFAULT_DEMO_PASSWORD = "keyward-demo";

export function demoPassword(): string {
  return process.env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
}

export interface DemoUser {
  email: string;
  name: string;
  isTenantAdmin: boolean;
  isDeveloper: boolean;
  description: string;
}

export interface DemoTenant {
  slug: string;
  name: string;
  apiKeysEnabled: boolean;
  maxApiKeyExpiry: string;
  maxKeysPerUser: number;
  users: DemoUser[];
  spaces: { name: string; type: string; description: string }[];
}

export const DEMO_TENANTS: DemoTenant[] = [
  {
    slug: "acme",
    name: "Acme Corp",
    apiKeysEnabled: true,
    maxApiKeyExpiry: "P90D",
    maxKeysPerUser: 5,
    users: [
      {
        email: "admin@acme.test",
        name: "Ada Admin",
        isTenantAdmin: true,
        isDeveloper: true,
        description: "Acme tenant admin and developer",
      },
      {
        email: "dev@acme.test",
        name: "Dev Acme",
        isTenantAdmin: false,
        isDeveloper: true,
        description: "Acme developer",
      },
      {
        email: "user@acme.test",
        name: "Uma User",
        isTenantAdmin: false,
        isDeveloper: false,
        description: "Acme user without roles",
      },
    ],
    spaces: [
      { name: "Finance", type: "shared", description: "Quarterly reporting" },
      { name: "Sales", type: "managed", description: "Pipeline dashboards" },
      { name: "Sandbox", type: "shared", description: "Try things here" },
    ],
  },
  {
    slug: "globex",
    name: "Globex",
    apiKeysEnabled: false,
    maxApiKeyExpiry: "P30D",
    maxKeysPerUser: 5,
    users: [
      {
        email: "admin@globex.test",
        name: "Gloria Admin",
        isTenantAdmin: true,
        isDeveloper: false,
        description: "Globex tenant admin",
      },
      {
        email: "dev@globex.test",
        name: "Gus Developer",
        isTenantAdmin: false,
        isDeveloper: true,
        description: "Globex developer (API keys are off in Globex)",
      },
    ],
    spaces: [
      { name: "Operations", type: "shared", description: "Plant metrics" },
      { name: "Research", type: "managed", description: "Lab results" },
    ],
  },
];
