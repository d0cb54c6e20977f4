import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** WCAG 2.1 A and AA: the level the app promises, in light and dark. */
export const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export const colorSchemes = ["light", "dark"] as const;

/**
 * Beyond the WCAG tags: every piece of content sits in a landmark (axe files `region`
 * under best practices), so screen reader users can reach all of it by landmark.
 */
const landmarkRules = ["region"];

/**
 * Runs axe on the page as it is now and expects no violations. The report names each
 * failing rule, element and reason, so a failure says what to fix. `exclude` leaves out
 * parts the page doesn't own (an email's own HTML in the inbox).
 */
export async function expectNoAxeViolations(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  const builder = (configure: (builder: AxeBuilder) => AxeBuilder) =>
    (options.exclude ?? []).reduce((axe, selector) => axe.exclude(selector), configure(new AxeBuilder({ page })));
  // withTags and withRules each replace what axe runs, so they are two passes.
  const results = [await builder((axe) => axe.withTags(wcagTags)).analyze(), await builder((axe) => axe.withRules(landmarkRules)).analyze()];
  const violations = results.flatMap((result) => result.violations);
  const report = violations.map(({ id, help, nodes }) => ({
    rule: `${id}: ${help}`,
    nodes: nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary ?? ""}`),
  }));
  expect(report, `axe on ${page.url()}`).toEqual([]);
}
