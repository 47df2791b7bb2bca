// proofbook: the one script every page gets (a few kB). It loads the math engine only on pages
// that show formulas, and previews references: hovering (or focusing) a [[ref]] shows the
// entry's number, title and typeset formula; on a touch screen the first tap shows the preview,
// with a link to the entry, and a second tap follows the reference.
//
// PROOFBOOK is written by the plugin in front of this file (render/assets.py):
//   katex: {css: [...], js: [...]} to load KaTeX (then katex-init.js typesets), URLs relative to
//   this file's folder or absolute; or null when the site's own engine (MathJax, KaTeX) typesets.
(() => {
  "use strict";
  const config = PROOFBOOK;
  const here = document.currentScript?.src || document.baseURI;
  let engine = null;  // the promise of the loaded math engine, once asked for

  function load(relative, tag) {
    const url = new URL(relative, here).href;
    return new Promise((resolve, reject) => {
      const element = document.createElement(tag);
      if (tag === "link") {
        element.rel = "stylesheet";
        element.href = url;
      } else {
        element.src = url;
        element.async = false;
      }
      element.onload = resolve;
      element.onerror = () => reject(new Error(`proofbook: cannot load ${url}`));
      document.head.appendChild(element);
    });
  }

  // The engine's stylesheets, added again when missing: Material's instant navigation swaps
  // the head for the new page's, which drops the links added here (the scripts' code stays).
  function styles() {
    const present = new Set([...document.querySelectorAll('link[rel="stylesheet"]')].map(l => l.href));
    const missing = config.katex.css.filter(url => !present.has(new URL(url, here).href));
    return Promise.all(missing.map(url => load(url, "link")));
  }

  function mathEngine() {
    if (!config.katex) return Promise.resolve();
    const css = styles();
    engine ??= css.then(() => config.katex.js.reduce((done, url) => done.then(() => load(url, "script")),
                                                     Promise.resolve()));
    return Promise.all([css, engine]);
  }

  // Typeset the math below `root` with whichever engine the page has.
  function typeset(root) {
    if (typeof proofbookTypesetIn === "function") return proofbookTypesetIn(root);
    if (window.MathJax?.typesetPromise) return window.MathJax.typesetPromise([root]);
    if (typeof renderMathInElement === "function") return renderMathInElement(root);
    return undefined;
  }

  // -- previews ------------------------------------------------------------------------------
  let popup = null;
  let shownFor = null;
  let hideTimer = 0;
  let pointer = "mouse";

  function preview(link) {
    clearTimeout(hideTimer);
    if (shownFor === link) return;
    popup?.remove();
    popup = document.createElement("div");
    popup.className = "pb-preview md-typeset";
    popup.setAttribute("role", "tooltip");
    const title = document.createElement("p");
    title.className = "pb-preview-title";
    title.textContent = `(${link.dataset.pbNumber}) ${link.dataset.pbTitle}`;
    const formula = document.createElement("div");
    formula.className = "arithmatex";
    formula.textContent = `\\[ ${link.dataset.pbTex} \\]`;
    popup.append(title, formula);
    if (pointer === "touch") {
      const go = document.createElement("a");
      go.className = "pb-preview-go";
      go.href = link.href;
      go.textContent = `Go to (${link.dataset.pbNumber}) →`;
      popup.append(go);
    }
    popup.addEventListener("mouseenter", () => clearTimeout(hideTimer));
    popup.addEventListener("mouseleave", hideSoon);
    document.body.append(popup);
    place(popup, link);
    shownFor = link;
    mathEngine().then(() => typeset(popup)).then(() => popup && place(popup, link));
  }

  function place(element, link) {
    const box = link.getBoundingClientRect();
    const width = Math.min(element.offsetWidth, window.innerWidth - 16);
    const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    const below = box.bottom + 6 + element.offsetHeight < window.innerHeight;
    const top = below ? box.bottom + 6 : box.top - 6 - element.offsetHeight;
    element.style.left = `${left + window.scrollX}px`;
    element.style.top = `${Math.max(0, top) + window.scrollY}px`;
  }

  function hide() {
    popup?.remove();
    popup = shownFor = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200);
  }

  document.addEventListener("pointerdown", event => {
    pointer = event.pointerType || "mouse";
    if (popup && !popup.contains(event.target) && !event.target.closest?.("a.pb-ref")) hide();
  }, true);
  document.addEventListener("keydown", event => event.key === "Escape" && hide());

  function wire(root) {
    for (const link of root.querySelectorAll("a.pb-ref[data-pb-tex]")) {
      if (link.dataset.pbWired) continue;
      link.dataset.pbWired = "1";
      link.addEventListener("mouseenter", () => pointer === "touch" || preview(link));
      link.addEventListener("mouseleave", () => pointer === "touch" || hideSoon());
      link.addEventListener("focus", () => pointer === "touch" || preview(link));
      link.addEventListener("blur", hideSoon);
      link.addEventListener("click", event => {
        if (pointer === "touch" && shownFor !== link) {
          event.preventDefault();
          event.stopPropagation();  // Material's instant navigation would follow it anyway
          hide();
          preview(link);
        } else {
          hide();
        }
      });
    }
  }

  // -- each page -----------------------------------------------------------------------------
  // The anchor of the address, if the page has it.
  function anchorTarget() {
    const id = decodeURIComponent(location.hash.slice(1));
    return (id && document.getElementById(id)) || null;
  }

  // After an instant navigation to another page's anchor (an entry's neighbourhood on the graph
  // page, say), Material does not always scroll to it: bring it into view once the page is drawn.
  function reachAnchor(target) {
    requestAnimationFrame(() => {
      const box = target.getBoundingClientRect();
      if (box.bottom <= 0 || box.top >= window.innerHeight) target.scrollIntoView();
    });
  }

  // Typeset formulas are taller than their source, so typesetting pushes the anchor the browser
  // scrolled to down the page, and the table of contents then marks the entry above it. Once the
  // math is drawn, the anchor goes back to its place (its scroll margin), unless the reader has
  // scrolled meanwhile.
  function settleAnchor(target) {
    let moved = false;
    const stop = () => { moved = true; };
    const events = ["wheel", "touchmove", "keydown", "pointerdown"];
    for (const name of events) window.addEventListener(name, stop, {once: true, passive: true});
    return () => {
      for (const name of events) window.removeEventListener(name, stop);
      if (!moved && target.isConnected && anchorTarget() === target) target.scrollIntoView();
    };
  }

  function page() {
    hide();
    wire(document);
    const target = anchorTarget();
    if (target) reachAnchor(target);
    if (config.katex && document.querySelector(".arithmatex")) {
      const settle = target ? settleAnchor(target) : () => {};
      mathEngine().then(() => typeset(document.body)).then(settle);
    }
  }

  // Material's document$ emits on the first load and after each instant navigation, which swaps
  // the page content without running the scripts again; other themes load every page in full.
  if (typeof document$ !== "undefined") {
    document$.subscribe(page);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", page);
  } else {
    page();
  }
})();
