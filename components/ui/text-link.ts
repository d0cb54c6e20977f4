/** The colours of an inline link (or a link-like control), light and dark; add size and weight where used. */
export const textLinkClass = "text-brand-600 dark:text-brand-300 hover:text-brand-700 dark:hover:text-brand-200";
