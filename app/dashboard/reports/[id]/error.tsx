"use client";

export { default } from "../../jobs/[id]/error";
