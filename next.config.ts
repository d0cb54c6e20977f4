import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The e2e build sets NEXT_DIST_DIR=.next-e2e so it never clobbers a developer's .next.
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;
