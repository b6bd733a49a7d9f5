import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const eslintConfig = defineConfig([
  ...nextVitals,
  ...nextTs,
  // Override default ignores of eslint-config-next.
  globalIgnores([
    // Default ignores of eslint-config-next:
    ".next/**",
    "out/**",
    "build/**",
    "next-env.d.ts",
    // What Playwright writes locally (reports and traces of failed runs), and generated code.
    "playwright-report/**",
    "test-results/**",
    "lib/generated/**",
  ]),
  {
    // The engine boundary runs SQL and nothing else: the rules of the product live in
    // lib/<domain>, whose types it may take, never its code (STYLE.md).
    files: ["lib/db/**/*.ts"],
    ignores: ["lib/db/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/lib/|\\.\\./)(?!db/|generated/)[a-z-]+/",
              allowTypeImports: true,
              message: "lib/db may import only types from the domain modules.",
            },
          ],
        },
      ],
    },
  },
  {
    // Components never reach the engine or app/, and the domain never reaches pages or components.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^@/lib/db(/|$)", message: "Components never reach lib/db." },
            {
              regex: "^@/app(/|$)",
              message: "Components take server actions as props from their page, never from app/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@/(app|components)(/|$)",
              message: "lib/ never imports app/ or components/.",
            },
          ],
        },
      ],
    },
  },
]);

export default eslintConfig;
