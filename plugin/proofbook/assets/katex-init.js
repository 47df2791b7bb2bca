// proofbook: typeset arithmatex's generic output with KaTeX (\( ... \) inline, \[ ... \] display).
// Only arithmatex's elements are searched, as the MathJax setup this replaces did: a "\(" in
// ordinary prose stays text.
function proofbookTypeset() {
  for (const element of document.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, {
      delimiters: [
        {left: "\\(", right: "\\)", display: false},
        {left: "\\[", right: "\\]", display: true},
      ],
      throwOnError: false,
    });
  }
}

// Material's document$ emits on the first load and after each instant navigation, which swaps
// the page content without running the scripts again; other themes load every page in full.
if (typeof document$ !== "undefined") {
  document$.subscribe(proofbookTypeset);
} else {
  document.addEventListener("DOMContentLoaded", proofbookTypeset);
}
