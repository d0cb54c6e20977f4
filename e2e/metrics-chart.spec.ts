import { randomBytes } from "node:crypto";
import { expect, test, type Locator } from "@playwright/test";
import { createAccount, newAccount } from "./helpers";
import { sql } from "./sql";

/** Pixels of the chart's canvas drawn in `[r, g, b]`, give or take antialiasing. */
function pixelsOf(canvas: Locator, [r, g, b]: [number, number, number]): Promise<number> {
  return canvas.evaluate(
    (element, target) => {
      const context = (element as HTMLCanvasElement).getContext("2d");
      if (!context) return 0;
      const { data } = context.getImageData(0, 0, context.canvas.width, context.canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        const near = (value: number, wanted: number) => Math.abs(value - wanted) <= 24;
        if (near(data[i]!, target[0]) && near(data[i + 1]!, target[1]) && near(data[i + 2]!, target[2])) count += 1;
      }
      return count;
    },
    [r, g, b] as const,
  );
}

const RED: [number, number, number] = [220, 38, 38]; // "Failed" (#dc2626)
const GREEN: [number, number, number] = [5, 150, 105]; // "Completed" (#059669)

for (const window of ["1h", "24h", "7d"] as const) {
  test(`the ${window} chart draws the newest period's failures`, async ({ page }) => {
    const admin = newAccount("Olive Operator");
    await createAccount(page.request, admin);
    const [{ id: userId, org_id: orgId } = { id: "", org_id: "" }] = await sql<{ id: string; org_id: string }[]>`
      select p.id, m.org_id from public.profiles p join public.memberships m on m.user_id = p.id
      where p.email = ${admin.email}`;
    await sql`insert into public.platform_admins (user_id) values (${userId})`;

    // A type of its own: completed jobs an hour and a half back, and 12 failures just now,
    // in the newest (still open) period only.
    const type = `chart-${randomBytes(3).toString("hex")}`;
    await sql`
      insert into public.jobs (org_id, type, status, created_at, started_at, completed_at)
      select ${orgId}, ${type}, 'completed', now() - interval '50 minutes', now() - interval '50 minutes',
             now() - interval '49 minutes'
      from generate_series(1, 5)`;
    await sql`
      insert into public.jobs (org_id, type, status, created_at, failed_at)
      select ${orgId}, ${type}, 'failed', now() - interval '5 seconds', now() - interval '1 second'
      from generate_series(1, 12)`;

    await page.goto(`/admin?window=${window}`);
    await page.getByRole("combobox", { name: "Job type" }).selectOption(type);
    const figure = page.getByRole("figure").filter({ hasText: "Jobs finished" });
    await expect(figure.locator("figcaption")).toContainText("5 completed and 12 failed");
    await figure.getByText("Show the figures").click();
    await expect(figure.getByRole("row").last()).toContainText("12");

    const canvas = figure.locator("canvas");
    await expect.poll(() => pixelsOf(canvas, GREEN)).toBeGreaterThan(0);
    await expect.poll(() => pixelsOf(canvas, RED)).toBeGreaterThan(0);
  });
}
