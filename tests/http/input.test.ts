import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HttpError } from "@/lib/http/errors";
import { parseQuery } from "@/lib/http/query";
import { findUnstorableText, isStorableText } from "@/lib/http/text";

describe("isStorableText", () => {
  it.each(["", "Ada Lovelace", "Zoë 🔑 李", "tab\tand\nnewline"])("keeps %j", (text) => {
    expect(isStorableText(text)).toBe(true);
  });

  it.each(["a\u0000b", "\ud800", "a\udc00", "🔑".slice(0, 1), "\udfff\ud800"])("refuses %j", (text) => {
    expect(isStorableText(text)).toBe(false);
  });
});

describe("findUnstorableText", () => {
  it("names the first string or key that can't be stored", () => {
    expect(findUnstorableText({ name: "ok", items: [{ note: "x" }, { note: "a\u0000" }] })).toEqual(["items", 1, "note"]);
    expect(findUnstorableText({ "\ud800": 1 })).toEqual(["\ud800"]);
    expect(findUnstorableText("\u0000")).toEqual([]);
    expect(findUnstorableText({ a: [1, true, null, "🔑"] })).toBeUndefined();
  });
});

describe("parseQuery", () => {
  const schema = z.object({ token: z.string().min(1) });
  const parse = (query: string) => parseQuery(schema, new URLSearchParams(query));
  const refusal = (query: string) => {
    try {
      parse(query);
    } catch (error) {
      if (error instanceof HttpError) return error;
    }
    throw new Error(`${query} was accepted`);
  };

  it("reads a parameter given once", () => {
    expect(parse("token=abc")).toEqual({ token: "abc" });
  });

  it("refuses a parameter given twice, whatever the values", () => {
    for (const query of ["token=a&token=b", "token=a&token=a", "token=&token=a"]) {
      const error = refusal(query);
      expect(error.status).toBe(400);
      expect(error.fields?.token).toBe("Give token once, not 2 times.");
    }
  });

  it("refuses a NUL in a parameter", () => {
    // (A URL can't carry a lone surrogate: its UTF-8 bytes decode to U+FFFD.)
    expect(refusal("token=a%00b").fields?.token).toMatch(/character/);
  });

  it("names what the schema refuses", () => {
    expect(refusal("").fields).toHaveProperty("token");
  });
});
