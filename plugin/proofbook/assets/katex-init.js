// proofbook: typeset arithmatex's generic output with KaTeX (\( ... \) inline, \[ ... \] display).
// Only arithmatex's elements are searched, as the MathJax setup this replaces did: a "\(" in
// ordinary prose stays text.
//
// Math in registry notes is untrusted, so KaTeX runs with its safe settings:
// - trust: false: \href, \url, \includegraphics and \htmlClass/\htmlId/\htmlStyle/\htmlData are
//   rendered as errors, never as links, images or attributes;
// - maxSize: every size a formula states (\rule, \kern, \rule{3000px}{3000px}, \raisebox) is
//   capped at 10em, so no formula covers the page;
// - maxExpand: at most 500 macro expansions per formula, so a macro bomb stops at once;
// - strict: "ignore": LaTeX-compatibility warnings are not security; they are not logged;
// - no shared macros option: KaTeX then starts every formula with fresh macros, so \gdef in
//   one note cannot change how the verified formulas after it are shown;
// - throwOnError: false: a bad formula is shown as its source, in red, as text.
const proofbookKatexOptions = Object.freeze({
  delimiters: [
    {left: "\\(", right: "\\)", display: false},
    {left: "\\[", right: "\\]", display: true},
  ],
  throwOnError: false,
  trust: false,
  maxSize: 10,
  maxExpand: 500,
  strict: "ignore",
  globalGroup: false,
});

// Typeset arithmatex's elements below `root` (a page, or a reference's preview). proofbook.js
// loads this file on pages that show formulas and calls it after each page load, including the
// pages Material's instant navigation swaps in.
function proofbookTypesetIn(root) {
  const elements = root.matches?.(".arithmatex") ? [root] : root.querySelectorAll(".arithmatex");
  for (const element of elements) {
    renderMathInElement(element, proofbookKatexOptions);
  }
}
