// Embed hints (`table!hint`) match as PostgREST's findRel matches them, and relationships are
// named by their real constraint names.
const patch = {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "Embed hints match as in PostgREST: real constraint names only, ambiguous hints answer PGRST201",
  upstream: `Embed disambiguation accepts hints PostgREST refuses, resolves hints PostgREST finds ambiguous,
and names relationships by constraint names that don't exist.

PostgREST (\`findRel\` in src/PostgREST/Plan.hs) keeps, among the relationships from the origin to the
target table, those whose constraint name is the hint, or whose single foreign-key column (on either side)
is the hint, or (many-to-many) whose junction table is the hint; none answers 400 PGRST200, more than one
answers 300 PGRST201 listing them (Error.hs: \`compressedRel\`, \`relHint\`, constraint names as they are).
A target without a hint is matched by table name, constraint name or foreign-key column the same way.

lite differs in four ways:
- a hint or target of the form \`<table>_<column>_fkey\` is accepted when the constraint has another name
  (\`msgs.author_id\` constrained by \`fk_author\`: \`people!msgs_author_id_fkey\` embeds; PostgREST: PGRST200);
- PGRST201's details and hint name a constraint whose name starts with \`fk_\` as \`<table>_<column>_fkey\`
  (so the hint it suggests is one PostgREST would refuse);
- a hint matching several relationships takes the first (\`msgs?select=people!id(*)\` with \`author_id\` and
  \`editor_id\` both referencing \`people(id)\` embeds the author; PostgREST: 300 PGRST201);
- on a self-reference (\`people.boss_id → people.id\`) PostgREST embeds only one-to-many, and a hint must be
  the referencing column: \`people?select=people!boss_id(*)\` is each person's reports (lite: the boss);
  \`people!id\` and \`people!<constraint>\` answer PGRST200 (lite embeds); two self-references without a hint
  answer PGRST201 (lite takes the first). The column as the target (\`people?select=boss_id(*)\`) stays the
  to-one parent, as in PostgREST.

Fix: name a foreign key by its constraint name whenever it has one; match hints and targets by real
constraint names only; when a hint matches more than one foreign key between the two tables, answer
PGRST201 with those candidates; resolve self-references as findRel's \`relIsSelf\` case does.`,
  edits: [
    // Whether the relationship is named by a \`!hint\` (rather than by a column or constraint as the target).
    { find: "function l_(t,e,n,r,s=false){", replace: "function l_(t,e,n,r,s=false,__byHint){" },
    { find: "c=r?.foreign_keys&&t?l_(r,t,i,a,l):null", replace: "c=r?.foreign_keys&&t?l_(r,t,i,a,l,!!n?.hint||!a):null" },
    {
      find: 'function Gr(t){return t.foreign_key_name?.endsWith("_fkey")||t.foreign_key_name&&!t.foreign_key_name.startsWith("fk_")?t.foreign_key_name:Al(t.table,t.column)}',
      replace: "function Gr(t){return t.foreign_key_name||Al(t.table,t.column)}",
    },
    { find: "LS=[Yd,Xd,Zd,ep,tp,np,rp]", replace: "LS=[Yd,Zd,ep,tp,np,rp]" },
    { find: "[Yd,Xd,ep,Zd,tp,np,rp]", replace: "[Yd,ep,Zd,tp,np,rp]" },
    {
      find: "let i=r.find(l=>(l.foreign_key_name===t||zi(l,t))&&(l.table===e||l.ref_table===e));",
      replace: "let i=r.find(l=>l.foreign_key_name===t&&(l.table===e||l.ref_table===e));",
    },
    {
      find:
        'if(r){let g=sp(r,e,n,i,{preferSelfReferenceTargetColumn:s});if(g)return g;Fl(t,e,n,r);}' +
        'if(e===n){let g=Bn(i.filter(y=>y.table===n&&y.ref_table===e))[0];if(g)return Vr(e,n,g,"o2m")}',
      replace:
        // A_: the candidates when the request is ambiguous ([to-one groups, to-many groups]).
        // Self-reference: only one-to-many, a hint being the referencing column (findRel's relIsSelf case).
        "let A_=null;if(e===n&&__byHint!==false){let G=Bn(i.filter(x=>x.table===e&&x.ref_table===e));" +
        "if(r){G=G.filter(x=>x.length===1&&x[0].column===r);G.length||Fl(t,e,n,r)}" +
        'if(G.length===1)return Vr(e,n,G[0],"o2m");G.length>1&&(A_=[[],G])}' +
        // Otherwise the foreign keys between the two tables (each direction) that the hint names:
        // by constraint, or by its single column on either side. Two or more: ambiguous.
        "else if(r){let g=sp(r,e,n,i,{preferSelfReferenceTargetColumn:s});" +
        "if(g&&e!==n){let M=(q,d)=>Bn(i.filter(x=>x.table===q&&x.ref_table===d)).filter(G=>G[0].foreign_key_name===r||G.length===1&&(G[0].column===r||G[0].ref_column===r));" +
        "A_=[M(e,n),M(n,e)];if(A_[0].length+A_[1].length<2)A_=null}" +
        "if(g&&!A_)return g;if(!A_)Fl(t,e,n,r);}",
    },
    {
      find: "if(a.length+c.length+u.length===0)return null;",
      replace: "A_&&(a=A_[0],c=A_[1],u=[]);if(a.length+c.length+u.length===0)return null;",
    },
  ],
};
export default patch;
