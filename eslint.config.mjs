import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // A patch is one exported object, named by its file.
  { files: ["patches/**"], rules: { "import/no-anonymous-default-export": "off" } },
  globalIgnores([
    ".next/**",
    ".next-e2e/**",
    ".next-bench/**",
    ".next-test-*/**",
    ".devstack/**",
    "node_modules/**",
    "test-results/**",
    "playwright-report/**",
    "tmp/**",
    "next-env.d.ts",
    "lib/supabase/database.types.ts",
  ]),
]);
