import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** WCAG 2.1 A and AA: the level the app promises, in light and dark. */
export const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export const colorSchemes = ["light", "dark"] as const;

/**
 * Runs axe on the page as it is now and expects no violations. The report names each
 * failing rule, element and reason, so a failure says what to fix. `exclude` leaves out
 * parts the page doesn't own (an email's own HTML in the inbox).
 */
export async function expectNoAxeViolations(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(wcagTags);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  const report = violations.map(({ id, help, nodes }) => ({
    rule: `${id}: ${help}`,
    nodes: nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary ?? ""}`),
  }));
  expect(report, `axe on ${page.url()}`).toEqual([]);
}
