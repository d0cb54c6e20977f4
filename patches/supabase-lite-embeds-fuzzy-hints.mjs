// "Perhaps you meant …" hints chosen as PostgREST chooses them (its fuzzyset search).
const fuzzy = `function __pgrstFuzzy(entries,value,min){
let byKey=new Map;for(let e of entries)byKey.set(String(e).toLowerCase(),e);
let key=String(value).toLowerCase();if(byKey.has(key))return[[1,byKey.get(key)]];
let grams=(s,n)=>{let t=["-",...[...s].filter(c=>/[\\p{L}\\p{N}\\s,]/u.test(c)),"-"],m=new Map;for(let i=0;i+n<=t.length;i++){let g=t.slice(i,i+n).join("");m.set(g,(m.get(g)||0)+1)}return m},
norm=m=>Math.sqrt([...m.values()].reduce((a,v)=>a+v*v,0)),
sim=(a,b)=>{a=[...a];b=[...b];let L=Math.max(a.length,b.length);if(L===0)return 1;let p=b.map((_,j)=>j+1);p.unshift(0);for(let i=1;i<=a.length;i++){let q=[i];for(let j=1;j<=b.length;j++)q[j]=Math.min(p[j]+1,q[j-1]+1,p[j-1]+(a[i-1]===b[j-1]?0:1));p=q}return 1-p[b.length]/L};
for(let n of[3,2]){let q=grams(key,n),qn=norm(q),scored=[];
for(let[k,e]of byKey){let v=grams(k,n),dot=0;for(let[g,c]of q){let o=v.get(g);o&&(dot+=c*o)}dot>0&&scored.push([dot/(qn*norm(v)),k,e])}
scored.sort((x,y)=>y[0]-x[0]);
let out=scored.slice(0,50).map(([,k,e])=>[sim(key,k),e]).sort((x,y)=>y[0]-x[0]).filter(([s])=>s>=min);if(out.length)return out}
return[]}
function __pgrstNoRelHint(t,parent,child){
let fks=t?.foreign_keys??[],rels=new Map,add=(a,b)=>{(rels.get(a)??rels.set(a,new Set).get(a)).add(b)},byCons=new Map;
for(let f of fks){add(f.table,f.ref_table);add(f.ref_table,f.table);let k=f.table+"\\0"+(f.foreign_key_group??f.foreign_key_name);byCons.has(k)||byCons.set(k,[]);byCons.get(k).push(f)}
let groups=[...byCons.values()];
for(let g1 of groups)for(let g2 of groups){if(g1===g2||g1[0].table!==g2[0].table)continue;
let jt=g1[0].table,pk=new Set((t.primary_keys??[]).filter(p=>p.table===jt).flatMap(p=>p.columns??[]));
[...g1,...g2].every(f=>pk.has(f.column))&&add(g1[0].ref_table,g2[0].ref_table)}
let found=rels.get(parent),s=found?__pgrstFuzzy([...found],child,.33).find(([x])=>x<1)?.[1]:__pgrstFuzzy([...rels.keys()],parent,.33)[0]?.[1];
return s===void 0?null:\`Perhaps you meant '\${s}' instead of '\${found?child:parent}'.\`}
`;

const patch = {
  package: "@supabase/lite",
  version: "0.10.0",
  file: "dist/index.js",
  title: "PGRST200 and PGRST205 hints suggest what PostgREST suggests, or nothing",
  upstream: `The "Perhaps you meant …" hints of PGRST200 (no relationship) and PGRST205 (no table) differ from
PostgREST's: lite suggests where PostgREST answers \`hint: null\`, and the reverse.

PostgREST (src/PostgREST/Error.hs) picks them with the fuzzyset package (0.2.x): an exact
case-insensitive match wins; otherwise the entries sharing a 3-gram (failing that, a 2-gram) of the
normalised name (lower case, letters, digits, spaces and commas only, enclosed in '-') are ranked by
normalised Levenshtein similarity and kept from a minimum score.
- PGRST200 (\`noRelBetweenHint\`): if the origin table has relationships in the schema, the closest of the
  tables it is related to, other than the requested name itself ("Perhaps you meant 'X' instead of
  '<target>'."); otherwise the closest table that has relationships ("… instead of '<origin>'."); both with
  score ≥ 0.33.
- PGRST205 (\`tableNotFoundHint\`): the closest table or view of the schema with score ≥ 0.75
  ("Perhaps you meant the table 'schema.X'"), none for schemas of 500 tables or more.

lite's PGRST200 hint only suggests a partition's parent or a table whose name is the target plus one
letter, related or not (\`msgs?select=note(*)\` suggests 'notes' though notes has no relationship with msgs;
PostgREST: null), and never a near miss (\`msgs?select=peple(*)\`: PostgREST suggests 'people'). Its PGRST205
hint uses a 2-gram search with a 0.33 threshold, so it suggests tables PostgREST doesn't
(\`from('memberz_log')\` → 'memberships').

Fix: a small port of fuzzyset's lookup, used by both hints with PostgREST's candidate sets and thresholds.`,
  edits: [
    { find: "function Fl(t,e,n,r){", replace: `${fuzzy}function Fl(t,e,n,r){` },
    { find: "hint:a_(t,n,s)", replace: "hint:__pgrstNoRelHint(t,e,n)" },
    {
      find: "u=Xr(o.relation,c),f=u?",
      replace: "u=l.length<500?__pgrstFuzzy(l,o.relation,.75)[0]?.[1]:void 0,f=u?",
    },
  ],
};
export default patch;
