import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The e2e build sets NEXT_DIST_DIR=.next-e2e so it never clobbers a developer's .next.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Loaded with Node's own require, once per server process, instead of bundled into every
  // route: supabase-js prints its "Node.js 20 is deprecated" notice when its module is
  // evaluated, so bundled it was printed once per compiled route (over a hundred times in
  // a dev session). It is plain server-safe JavaScript, so nothing else changes.
  serverExternalPackages: ["@supabase/supabase-js"],
};

export default nextConfig;
