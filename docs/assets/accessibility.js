// Scripting to Scale: names and keyboard access that Material leaves out, for screen reader
// and keyboard users. tests/browser/test_accessibility.py runs axe on every page to keep them.
// Each fix looks for what is missing and changes nothing else, so the script does no harm
// under a theme that already gets it right (Zensical builds the same mkdocs.yml).
(() => {
  // The search dialog has no name: screen readers open "dialog" (axe: aria-dialog-name). It
  // takes the name of its input ("Search", in the site's language).
  const nameSearchDialog = () => {
    for (const dialog of document.querySelectorAll(".md-search[role=dialog]")) {
      if (dialog.hasAttribute("aria-label") || dialog.hasAttribute("aria-labelledby")) continue;
      const input = dialog.querySelector("input[aria-label]");
      dialog.setAttribute("aria-label", input ? input.getAttribute("aria-label") : "Search");
    }
  };

  // A section whose title links to its index page (navigation.indexes) is opened by a label
  // holding only an icon, and that empty label names the section's <nav>: "Lessons", "The
  // final app" and "Exercise solutions" are all nameless navigation landmarks (axe:
  // landmark-unique). The label takes the section's title, which names the toggle and the
  // <nav> alike. (Material finds the <nav> by its aria-labelledby: it stays.)
  const nameSectionNavs = () => {
    for (const nav of document.querySelectorAll("nav[aria-labelledby]")) {
      const label = document.getElementById(nav.getAttribute("aria-labelledby"));
      const title = nav.querySelector(":scope > .md-nav__title");
      if (!label || !title || label.textContent.trim() || label.hasAttribute("aria-label")) {
        continue;
      }
      label.setAttribute("aria-label", title.textContent.trim());
    }
  };

  // Each code block's copy button sits in a <nav>: one more unnamed navigation landmark per
  // block, listed by screen readers next to the real ones (axe: landmark-unique). The button
  // keeps its name ("Copy to clipboard"); its box stops being a landmark.
  const unlandmarkCodeButtons = () => {
    for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) {
      nav.setAttribute("role", "none");
    }
  };

  // A table too wide for the page scrolls sideways in the box Material wraps it in. Material
  // makes scrollable code blocks focusable, not those boxes: without a mouse, the columns off
  // to the right cannot be reached (WCAG 2.1.1; axe: scrollable-region-focusable). A box that
  // scrolls gets tabindex="0" (Tab reaches it, arrow keys scroll it) and loses it when it
  // fits again. Sizes are watched, not read once: a table in a folded block has no width
  // until the block opens.
  const SCROLL_BOX = ".md-typeset__scrollwrap";
  const updateScrollBox = (box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
    } else {
      box.removeAttribute("tabindex");
    }
  };
  const sizes = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const box = entry.target.closest(SCROLL_BOX);
      if (box) updateScrollBox(box);
    }
  });
  const watchScrollBoxes = () => {
    sizes.disconnect();
    for (const box of document.querySelectorAll(SCROLL_BOX)) {
      sizes.observe(box);
      if (box.firstElementChild) sizes.observe(box.firstElementChild);
    }
  };

  const onPage = () => {
    nameSearchDialog();
    nameSectionNavs();
    unlandmarkCodeButtons();
    watchScrollBoxes();
  };

  // Material announces each page it renders on `document$`, once it has wrapped the tables
  // and added the copy buttons.
  if (window.document$) {
    window.document$.subscribe(onPage);
  } else {
    document.addEventListener("DOMContentLoaded", onPage);
  }
})();
