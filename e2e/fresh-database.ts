/**
 * Recreates the e2e database on the PostgreSQL server before the e2e devstack starts, so
 * every run begins empty and tests can check the app's answers with plain SQL.
 */
import postgres from "postgres";
import { e2eDatabase } from "./stack";

const admin = postgres(e2eDatabase.adminUrl, { max: 1, onnotice: () => {} });
try {
  await admin.unsafe(`drop database if exists ${e2eDatabase.name} with (force)`);
  await admin.unsafe(`create database ${e2eDatabase.name}`);
} catch (error) {
  console.error(`The e2e tests need PostgreSQL at ${e2eDatabase.adminUrl} (set TEST_DATABASE_URL): ${(error as Error).message}`);
  process.exit(1);
} finally {
  await admin.end();
}
