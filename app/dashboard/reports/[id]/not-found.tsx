export { default, metadata } from "../../jobs/[id]/not-found";
