// Workers inherit DATABASE_URL from the global setup; nothing here may point at the dev database.
if (!process.env.DATABASE_URL?.includes("keyward-test-")) {
  throw new Error("Tests must run against the temporary test database.");
}
