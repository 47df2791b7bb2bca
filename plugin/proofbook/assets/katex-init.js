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

function proofbookTypeset() {
  for (const element of document.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, proofbookKatexOptions);
  }
}

// Material's document$ emits on the first load and after each instant navigation, which swaps
// the page content without running the scripts again; other themes load every page in full.
if (typeof document$ !== "undefined") {
  document$.subscribe(proofbookTypeset);
} else {
  document.addEventListener("DOMContentLoaded", proofbookTypeset);
}
