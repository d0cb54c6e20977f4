import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

/** Inngest calls this endpoint to sync the app and to run each step (see inngest/). */
export const { GET, POST, PUT } = serve({ client: inngest, functions });
