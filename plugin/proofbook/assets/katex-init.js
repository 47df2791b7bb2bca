// proofbook: typeset arithmatex's generic output with KaTeX (\( ... \) inline, \[ ... \] display).
// Material's document$ emits on the first load and after each instant navigation, which swaps
// the page content without loading the scripts again. Only arithmatex's elements are searched,
// as the MathJax setup this replaces did: a "\(" in ordinary prose stays text.
document$.subscribe(() => {
  for (const element of document.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, {
      delimiters: [
        {left: "\\(", right: "\\)", display: false},
        {left: "\\[", right: "\\]", display: true},
      ],
      throwOnError: false,
    });
  }
});
