import postgres from "postgres";
import { e2eDatabase } from "./stack";

/** Plain SQL against the e2e stack's database, to check what the app shows. */
export const sql = postgres(e2eDatabase.url, { max: 2, onnotice: () => {} });
