// Render TeX to HTML (with MathML for screen readers) while the site builds.
// One process serves a whole build (and, under `mkdocs serve`, every rebuild): it reads one
// JSON request per line, {"tex": "...", "display": true}, and answers one JSON line per
// request, {"html": "..."} or {"error": "..."}. The KaTeX is the one pinned in package-lock.json.
"use strict";
const readline = require("readline");
const path = require("path");
const katex = require(path.join(__dirname, "..", "..", "node_modules", "katex"));

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", function (line) {
  let answer;
  try {
    const request = JSON.parse(line);
    answer = {
      html: katex.renderToString(request.tex, {
        displayMode: Boolean(request.display),
        throwOnError: true,
        strict: "ignore",
        output: "htmlAndMathml",
      }),
    };
  } catch (err) {
    answer = { error: String(err && err.message ? err.message : err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
