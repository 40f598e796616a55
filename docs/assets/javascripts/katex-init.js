// Render math with the KaTeX copy served by the site itself (no network).
// Markdown pages: pymdownx.arithmatex (generic) leaves \( \) and \[ \] in .arithmatex
// elements. Lab pages: notebook Markdown cells keep $ ... $ and $$ ... $$.
// document$ (mkdocs-material) emits on the first load and after every instant navigation.
(function () {
  "use strict";
  const options = { throwOnError: false, strict: "ignore" };
  const brackets = [
    { left: "\\[", right: "\\]", display: true },
    { left: "\\(", right: "\\)", display: false },
  ];
  const dollars = [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
  ];

  function render(root) {
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      renderMathInElement(el, Object.assign({ delimiters: brackets }, options));
    });
    // Headings with math appear in the table of contents as \( ... \) text.
    root.querySelectorAll(".md-nav__link").forEach(function (el) {
      if (el.textContent.indexOf("\\(") !== -1) {
        renderMathInElement(el, Object.assign({ delimiters: brackets }, options));
      }
    });
    root.querySelectorAll(".jupyter-wrapper .jp-MarkdownCell").forEach(function (el) {
      renderMathInElement(el, Object.assign({ delimiters: dollars.concat(brackets) }, options));
    });
  }

  document$.subscribe(function () {
    render(document.body);
  });
})();
