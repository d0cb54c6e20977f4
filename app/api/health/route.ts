/** Liveness for load balancers and uptime checks; also the bare baseline in bench/. */
export function GET() {
  return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
}
