// Wording shared by the reports and chat pages.

/** "WRONG_REFUSAL" as people read it: "wrong refusal". */
export function categoryName(category) {
  return category.toLowerCase().replace('_', ' ');
}
