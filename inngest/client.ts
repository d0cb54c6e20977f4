import { Inngest } from "inngest";
import { JobMirrorMiddleware } from "./job-mirror";

/**
 * The one Inngest client. Where it sends events and whether requests must be signed come
 * from the environment the SDK reads itself: INNGEST_DEV (the devstack or `inngest-cli
 * dev`) locally, INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY in production.
 */
export const inngest = new Inngest({ id: "offload", middleware: [JobMirrorMiddleware] });
