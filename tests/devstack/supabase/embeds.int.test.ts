import { randomUUID } from "node:crypto";
import { createClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LOCAL_SECRET_KEY } from "@/devstack/supabase/keys";
import { sql } from "../../support/sql";

/**
 * Embedding (`select=*,other(*)`) resolves tables, relationships and hints as PostgREST does,
 * with the bodies it answers when it can't. Sources (PostgREST): relationship lookup is `findRel`
 * in src/PostgREST/Plan.hs; the schema cache keeps only exposed schemas (`removeInternal` in
 * src/PostgREST/SchemaCache.hs); error bodies are src/PostgREST/Error.hs (`NoRelBetween` → 400
 * PGRST200, `AmbiguousRelBetween` → 300 PGRST201); docs: references/api/resource_embedding.rst
 * and references/api/computed_fields.rst.
 */

// Untyped client: the tables here are made by the test, not by our migrations.
const service = () =>
  createClient(inject("supabaseUrl"), LOCAL_SECRET_KEY, { auth: { persistSession: false, autoRefreshToken: false } });

const suffix = randomUUID().slice(0, 8);
const people = `people_${suffix}`;
const messages = `messages_${suffix}`;
const notes = `notes_${suffix}`;
const posts = `posts_${suffix}`;
const owned = `owned_${suffix}`;
const lonely = `${people}_lonely`;
const tree = `tree_${suffix}`;
const teams = `teams_${suffix}`;
const authorFk = `fk_author_${suffix}`;
const editorFk = `fk_editor_${suffix}`;
const noteFk = `note_person_${suffix}`;
const fullName = `full_name_${suffix}`;
const writer = `writer_${suffix}`;
const written = `written_${suffix}`;
const greeting = `greeting_${suffix}`;

/** Runs owner SQL statements in order (the tables are then handed to the migration owner, below). */
async function migrate(statements: string[]) {
  for (const statement of statements) await sql(statement);
}

describe("embedding resolves as PostgREST resolves it", () => {
  beforeAll(async () => {
    await migrate([
      // `users` and `messages`: exactly the names people pick, beside the auth schema's auth.users.
      `create table public.users (id int primary key, name text not null)`,
      `create table public.${posts} (id int primary key, title text not null, user_id int not null references public.users (id))`,
      // A foreign key into the auth schema, which the Data API doesn't expose.
      `create table public.${people} (id int primary key, name text not null)`,
      `create table public.${owned} (
         id int primary key,
         owner_id uuid references auth.users (id),
         person_id int references public.${people} (id))`,
      `create table public.${lonely} (id int primary key)`,
      `create table public.${tree} (id int primary key, parent_id int references public.${tree} (id))`,
      `create table public.${teams} (
         id int primary key,
         parent_id int references public.${teams} (id),
         auditor_id int references public.${teams} (id))`,
      `create table public.${messages} (
         id int primary key,
         body text not null,
         author_id int constraint ${authorFk} references public.${people} (id),
         editor_id int constraint ${editorFk} references public.${people} (id))`,
      `create table public.${notes} (id int primary key, person_id int constraint ${noteFk} references public.${people} (id))`,
      `create function public.${fullName}(public.${people}) returns text language sql stable
         as $$ select $1.name || ' (#' || $1.id || ')' $$`,
      `create function public.${writer}(public.${messages}) returns setof public.${people} rows 1 language sql stable
         as $$ select * from public.${people} where id = $1.author_id $$`,
      `create function public.${written}(public.${people}) returns setof public.${messages} language sql stable
         as $$ select * from public.${messages} where author_id = $1.id $$`,
      `create function public.${greeting}(public.users) returns text language sql stable as $$ select 'hi ' || $1.name $$`,
      ...["users", posts, owned, people, messages, notes, lonely, tree, teams].flatMap((table) => [
        `alter table public.${table} owner to migration_owner`,
        `grant select on public.${table} to service_role`,
      ]),
      ...[
        `${fullName}(public.${people})`,
        `${writer}(public.${messages})`,
        `${written}(public.${people})`,
        `${greeting}(public.users)`,
      ].flatMap((fn) => [`alter function public.${fn} owner to migration_owner`, `grant execute on function public.${fn} to service_role`]),
      `insert into public.users values (1, 'Ann'), (2, 'Bob')`,
      `insert into public.${posts} values (10, 'Hello', 1), (11, 'Again', 1)`,
      `insert into public.${people} values (1, 'Ann'), (2, 'Bob')`,
      `insert into public.${owned} values (1, null, 1)`,
      `insert into public.${messages} values (1, 'hi', 1, 2)`,
      `insert into public.${notes} values (1, 1)`,
      `insert into public.${tree} values (1, null), (2, 1), (3, 1)`,
      `insert into public.${teams} values (1, null, null), (2, 1, 1)`,
    ]);
  });

  afterAll(async () => {
    await sql(`drop table if exists public.${tree}, public.${teams}, public.${lonely}, public.${posts}, public.${owned}, public.users, public.${notes}, public.${messages}, public.${people} cascade`);
  });

  describe("tables of the request's schema only", () => {
    it("embeds public.users, not auth.users, from a table that references it", async () => {
      const { data, error, status } = await service().from(posts).select("id, user:users(*)").order("id");
      expect(error).toBeNull();
      expect(status).toBe(200);
      expect(data).toEqual([
        { id: 10, user: { id: 1, name: "Ann" } },
        { id: 11, user: { id: 1, name: "Ann" } },
      ]);
    });

    it("embeds the other way round, and filters on the embed", async () => {
      const { data, error } = await service()
        .from("users")
        .select(`name, ${posts}!inner(title)`)
        .eq(`${posts}.title`, "Again");
      expect(error).toBeNull();
      expect(data).toEqual([{ name: "Ann", [posts]: [{ title: "Again" }] }]);
    });

    it("finds no relationship through a foreign key into the auth schema: 400 PGRST200 in the schema 'public'", async () => {
      const { data, error, status } = await service().from(owned).select("id, users(*)");
      expect(data).toBeNull();
      expect(status).toBe(400);
      expect(error).toEqual({
        code: "PGRST200",
        message: `Could not find a relationship between '${owned}' and 'users' in the schema cache`,
        details: `Searched for a foreign key relationship between '${owned}' and 'users' in the schema 'public', but no matches were found.`,
        hint: null,
      });
    });
  });

  describe("several foreign keys to one table", () => {
    const m2o = (fk: string, column: string) => ({
      cardinality: "many-to-one",
      embedding: `${messages} with ${people}`,
      relationship: `${fk} using ${messages}(${column}) and ${people}(id)`,
    });
    const o2m = (fk: string, column: string) => ({
      cardinality: "one-to-many",
      embedding: `${people} with ${messages}`,
      relationship: `${fk} using ${people}(id) and ${messages}(${column})`,
    });
    const ambiguous = (from: string, to: string, details: object[]) => ({
      code: "PGRST201",
      message: `Could not embed because more than one relationship was found for '${from}' and '${to}'`,
      details,
      hint: `Try changing '${to}' to one of the following: '${to}!${authorFk}', '${to}!${editorFk}'. Find the desired relationship in the 'details' key.`,
    });

    it("answers 300 PGRST201 without a hint, naming each constraint as it is named", async () => {
      const toOne = await service().from(messages).select(`id, ${people}(name)`);
      expect(toOne.status).toBe(300);
      expect(toOne.data).toBeNull();
      expect(toOne.error).toEqual(ambiguous(messages, people, [m2o(authorFk, "author_id"), m2o(editorFk, "editor_id")]));

      const toMany = await service().from(people).select(`id, ${messages}(body)`);
      expect(toMany.status).toBe(300);
      expect(toMany.error).toEqual(ambiguous(people, messages, [o2m(authorFk, "author_id"), o2m(editorFk, "editor_id")]));
    });

    it("answers 300 PGRST201 for a hint that matches both (the referenced column)", async () => {
      const { status, error } = await service().from(messages).select(`id, ${people}!id(name)`);
      expect(status).toBe(300);
      expect(error).toEqual(ambiguous(messages, people, [m2o(authorFk, "author_id"), m2o(editorFk, "editor_id")]));
    });

    it("embeds with a constraint-name or column hint, and by constraint name as the target", async () => {
      const byConstraint = await service().from(messages).select(`id, author:${people}!${authorFk}(name), editor:${people}!${editorFk}(name)`);
      expect(byConstraint.error).toBeNull();
      expect(byConstraint.data).toEqual([{ id: 1, author: { name: "Ann" }, editor: { name: "Bob" } }]);

      const byColumn = await service().from(messages).select(`id, ${people}!editor_id(name)`);
      expect(byColumn.data).toEqual([{ id: 1, [people]: { name: "Bob" } }]);

      const toMany = await service().from(people).select(`id, ${messages}!${authorFk}(body)`).order("id");
      expect(toMany.data).toEqual([
        { id: 1, [messages]: [{ body: "hi" }] },
        { id: 2, [messages]: [] },
      ]);

      const asTarget = await service().from(messages).select(`id, ${authorFk}(name)`);
      expect(asTarget.data).toEqual([{ id: 1, [authorFk]: { name: "Ann" } }]);
    });

    it("refuses a hint that names no constraint, even <table>_<column>_fkey: 400 PGRST200", async () => {
      for (const [from, to, hint] of [
        [messages, people, `${messages}_author_id_fkey`],
        [notes, people, `${notes}_person_id_fkey`],
        [people, notes, `${notes}_person_id_fkey`],
        [messages, people, noteFk],
      ] as const) {
        const { data, status, error } = await service().from(from).select(`id, ${to}!${hint}(id)`);
        expect(data).toBeNull();
        expect(status).toBe(400);
        expect(error).toEqual({
          code: "PGRST200",
          message: `Could not find a relationship between '${from}' and '${to}' in the schema cache`,
          details: `Searched for a foreign key relationship between '${from}' and '${to}' using the hint '${hint}' in the schema 'public', but no matches were found.`,
          hint: null,
        });
      }
      const real = await service().from(notes).select(`id, ${people}!${noteFk}(name)`);
      expect(real.data).toEqual([{ id: 1, [people]: { name: "Ann" } }]);
    });
  });

  describe("a table referencing itself (findRel's relIsSelf case)", () => {
    it("embeds the parent through the column, and the children through the table name or the column as hint", async () => {
      const parent = await service().from(tree).select("id, parent_id(id)").order("id");
      expect(parent.error).toBeNull();
      expect(parent.data).toEqual([
        { id: 1, parent_id: null },
        { id: 2, parent_id: { id: 1 } },
        { id: 3, parent_id: { id: 1 } },
      ]);
      const children = [
        { id: 1, children: [{ id: 2 }, { id: 3 }] },
        { id: 2, children: [] },
        { id: 3, children: [] },
      ];
      const byName = await service().from(tree).select(`id, children:${tree}(id)`).order("id");
      expect(byName.data).toEqual(children);
      const byHint = await service().from(tree).select(`id, children:${tree}!parent_id(id)`).order("id");
      expect(byHint.data).toEqual(children);
    });

    it("refuses any other hint, even the constraint's name: 400 PGRST200", async () => {
      for (const hint of ["id", `${tree}_parent_id_fkey`]) {
        const { status, error } = await service().from(tree).select(`id, ${tree}!${hint}(id)`);
        expect(status).toBe(400);
        expect(error).toEqual({
          code: "PGRST200",
          message: `Could not find a relationship between '${tree}' and '${tree}' in the schema cache`,
          details: `Searched for a foreign key relationship between '${tree}' and '${tree}' using the hint '${hint}' in the schema 'public', but no matches were found.`,
          hint: null,
        });
      }
    });

    it("answers 300 PGRST201 for two self-references without a hint, listing the one-to-many ones", async () => {
      const { status, error } = await service().from(teams).select(`id, ${teams}(id)`);
      expect(status).toBe(300);
      const o2m = (column: string) => ({
        cardinality: "one-to-many",
        embedding: `${teams} with ${teams}`,
        relationship: `${teams}_${column}_fkey using ${teams}(id) and ${teams}(${column})`,
      });
      expect(error).toEqual({
        code: "PGRST201",
        message: `Could not embed because more than one relationship was found for '${teams}' and '${teams}'`,
        details: [o2m("auditor_id"), o2m("parent_id")],
        hint: `Try changing '${teams}' to one of the following: '${teams}!${teams}_auditor_id_fkey', '${teams}!${teams}_parent_id_fkey'. Find the desired relationship in the 'details' key.`,
      });
      const audited = await service().from(teams).select(`id, audited:${teams}!auditor_id(id)`).eq("id", 1);
      expect(audited.data).toEqual([{ id: 1, audited: [{ id: 2 }] }]);
    });
  });

  describe("computed fields and computed relationships", () => {
    it("selects, filters and orders by a function of the row, which * leaves out", async () => {
      const { data, error } = await service()
        .from(people)
        .select(`id, ${fullName}`)
        .like(fullName, "%(#%")
        .order(fullName, { ascending: false });
      expect(error).toBeNull();
      expect(data).toEqual([
        { id: 2, [fullName]: "Bob (#2)" },
        { id: 1, [fullName]: "Ann (#1)" },
      ]);
      const star = await service().from(people).select("*").eq("id", 1);
      expect(star.data).toEqual([{ id: 1, name: "Ann" }]);
    });

    it("selects a computed field of public.users and of an embedded row", async () => {
      const own = await service().from("users").select(`id, ${greeting}`).eq("id", 2);
      expect(own.data).toEqual([{ id: 2, [greeting]: "hi Bob" }]);
      const embedded = await service().from(posts).select(`id, users(${greeting})`).eq("id", 10);
      expect(embedded.data).toEqual([{ id: 10, users: { [greeting]: "hi Ann" } }]);
    });

    it("embeds a function returning rows: `rows 1` as an object, setof as an array", async () => {
      const toOne = await service().from(messages).select(`id, ${writer}(name)`);
      expect(toOne.error).toBeNull();
      expect(toOne.data).toEqual([{ id: 1, [writer]: { name: "Ann" } }]);
      const toMany = await service().from(people).select(`id, ${written}(body)`).order("id");
      expect(toMany.data).toEqual([
        { id: 1, [written]: [{ body: "hi" }] },
        { id: 2, [written]: [] },
      ]);
    });
  });

  describe("'Perhaps you meant …' hints, as PostgREST's fuzzy search picks them", () => {
    const noRelationship = (from: string, to: string, hint: string | null) => ({
      code: "PGRST200",
      message: `Could not find a relationship between '${from}' and '${to}' in the schema cache`,
      details: `Searched for a foreign key relationship between '${from}' and '${to}' in the schema 'public', but no matches were found.`,
      hint,
    });

    it("suggests the closest table the origin is related to, not any table with a similar name", async () => {
      const typo = `peple_${suffix}`;
      const near = await service().from(messages).select(`id, ${typo}(name)`);
      expect(near.status).toBe(400);
      expect(near.error).toEqual(noRelationship(messages, typo, `Perhaps you meant '${people}' instead of '${typo}'.`));
      // `users` exists, but messages has no relationship with it: nothing to suggest.
      const unrelated = await service().from(messages).select("id, user(name)");
      expect(unrelated.error).toEqual(noRelationship(messages, "user", null));
    });

    it("suggests the closest table with relationships when the origin has none", async () => {
      const { error } = await service().from(lonely).select(`id, ${messages}(id)`);
      expect(error).toEqual(noRelationship(lonely, messages, `Perhaps you meant '${people}' instead of '${lonely}'.`));
    });

    it("suggests a table for an unknown one only when it is close (PGRST205, score ≥ 0.75)", async () => {
      const typo = `peple_${suffix}`;
      const near = await service().from(typo).select("*");
      expect(near.status).toBe(404);
      expect(near.error).toEqual({
        code: "PGRST205",
        message: `Could not find the table 'public.${typo}' in the schema cache`,
        details: null,
        hint: `Perhaps you meant the table 'public.${people}'`,
      });
      const far = await service().from(`${people}_archive`).select("*");
      expect(far.status).toBe(404);
      expect(far.error?.hint).toBeNull();
    });
  });
});
