import { describe, expect, it } from "vitest";
import { z } from "zod";
import { prepareReport, writeReportChunk } from "@/lib/reports/store";
import { serviceClient, signUpUser } from "../support/supabase";
import { sql } from "../support/sql";

/**
 * A report opened in a spreadsheet must show what people typed, never run it: a text cell
 * that begins with =, +, -, @, a tab or a carriage return is a formula to Excel, LibreOffice
 * and Google Sheets (OWASP "CSV Injection"), so the file has it behind a single quote.
 * Numbers stay numbers: a negative amount is still a number to add up.
 */
describe("a report's CSV cells", () => {
  const cell = async (value: string) => {
    const [row] = await sql("select private.csv_text($1) as cell", [value]);
    return z.object({ cell: z.string() }).parse(row).cell;
  };

  it("neutralises each character a spreadsheet starts a formula with", async () => {
    expect(await cell("=1+1")).toBe("'=1+1");
    expect(await cell("+1")).toBe("'+1");
    expect(await cell("-1")).toBe("'-1");
    expect(await cell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(await cell("\tcmd")).toBe("'\tcmd");
    // A carriage return needs quoting too, as any line break in a cell does.
    expect(await cell("\rcmd")).toBe(`"'\rcmd"`);
  });

  it("quotes a neutralised cell that also needs quoting", async () => {
    expect(await cell('=HYPERLINK("https://evil.example","Open")')).toBe(`"'=HYPERLINK(""https://evil.example"",""Open"")"`);
  });

  it("leaves ordinary text alone, and quotes only what RFC 4180 asks", async () => {
    expect(await cell("Ada")).toBe("Ada");
    expect(await cell("a=b")).toBe("a=b");
    expect(await cell("O'Brien")).toBe("O'Brien");
    expect(await cell("Lovelace, Ada")).toBe('"Lovelace, Ada"');
    expect(await cell('say "hi"')).toBe('"say ""hi"""');
    expect(await cell("two\nlines")).toBe('"two\nlines"');
  });

  it("writes an export whose text cells are neutralised and whose amounts stay numbers", async () => {
    const db = serviceClient();
    const { orgId } = await signUpUser("CSV cells");
    const job = await db.from("jobs").insert({ org_id: orgId, type: "report" }).select("id").single();
    expect(job.error).toBeNull();
    const jobId = job.data!.id;
    const at = (minute: number) => `2026-07-01T10:${String(minute).padStart(2, "0")}:00Z`;
    const activities = await db.from("activities").insert([
      { org_id: orgId, type: "refund", actor: "=cmd|' /C calc'!A0", amount: -5, occurred_at: at(0) },
      { org_id: orgId, type: "payment", actor: "-2", amount: 12.5, occurred_at: at(1) },
      { org_id: orgId, type: "payment", actor: "Ada", amount: 0, occurred_at: at(2) },
    ]);
    expect(activities.error).toBeNull();

    const payload = { kind: "activity", from: "2026-07-01", to: "2026-07-01", format: "csv", timeZone: "UTC" } as const;
    await prepareReport(db, { jobId, orgId, payload });
    await writeReportChunk(db, jobId, 0, { from: payload.from, to: payload.to });

    const chunk = await db.from("report_chunks").select("content").eq("job_id", jobId).eq("seq", 0).single();
    expect(chunk.error).toBeNull();
    expect(chunk.data!.content!.split("\n")).toEqual([
      "2026-07-01T10:00:00+00:00,refund,'=cmd|' /C calc'!A0,-5.00",
      "2026-07-01T10:01:00+00:00,payment,'-2,12.50",
      "2026-07-01T10:02:00+00:00,payment,Ada,0.00",
      "",
    ]);
  });
});
