/*
 * Interactive explorers for the cross-entropy book (plain JavaScript, no network, no framework).
 *
 * A page asks for an explorer with an empty container:
 *   <div class="ce-explorer" data-explorer="softmax"></div>   softmax, cross-entropy and p - t
 *   <div class="ce-explorer" data-explorer="binary"></div>    sigmoid, BCE beside squared error
 *
 * The numbers follow ce_book exactly (the same stable formulas): every explorer is checked in a
 * browser against docs/assets/explorers/vectors.json, which scripts/make_explorer_vectors.py
 * writes from ce_book. Each output carries its full-precision value in data-value; each plotted
 * curve carries its samples in data-x / data-y, and each dot its point.
 */
(function () {
  "use strict";

  /* ---------- numerics (mirrors ce_book.activations, losses, gradients, training) ---------- */

  // log softmax(u) = (u - m) - log1p(sum over the non-maximal entries of exp(u_j - m)),
  // with m the first maximal entry: exp never overflows, and the top class keeps a tiny loss.
  function logSoftmax(u) {
    let top = 0;
    for (let i = 1; i < u.length; i++) if (u[i] > u[top]) top = i;
    const m = u[top];
    let rest = 0;
    for (let i = 0; i < u.length; i++) if (i !== top) rest += Math.exp(u[i] - m);
    const l1 = Math.log1p(rest);
    return u.map(function (v) { return (v - m) - l1; });
  }

  // Softmax of u = z / T, the cross-entropy L = -sum t_i log p_i, its gradient with respect
  // to u, dL/du = p - t, and with respect to the logits themselves: by the chain rule
  // dL/dz = (dL/du)(du/dz) = (p - t) / T.
  function softmaxExplorer(z, temperature, t) {
    const u = z.map(function (v) { return v / temperature; });
    const logp = logSoftmax(u);
    const p = logp.map(Math.exp);
    let loss = 0;
    for (let i = 0; i < t.length; i++) if (t[i] !== 0) loss -= t[i] * logp[i];
    const grad = p.map(function (v, i) { return v - t[i]; });
    const gradZ = grad.map(function (g) { return g / temperature; });
    const gradSum = grad.reduce(function (a, b) { return a + b; }, 0);
    return { probs: p, loss: loss, grad: grad, gradZ: gradZ, gradSum: gradSum };
  }

  function sigmoid(z) {
    const e = Math.exp(-Math.abs(z));
    return z >= 0 ? 1 / (1 + e) : e / (1 + e);
  }

  // sigma(z) - y, written as (1 - y) - sigma(-z) when y >= 1/2 so that y = 1 loses no digits.
  function sigmoidError(z, y) {
    return y >= 0.5 ? (1 - y) - sigmoid(-z) : sigmoid(z) - y;
  }

  // log sigma(z) = min(z, 0) - log1p(exp(-|z|)), finite for every finite z.
  function logSigmoid(z) {
    return Math.min(z, 0) - Math.log1p(Math.exp(-Math.abs(z)));
  }

  // Binary cross-entropy from the logit: -[t log sigma(z) + (1 - t) log sigma(-z)];
  // its gradient is sigma(z) - t.
  // Squared error of the sigmoid output: (sigma - y)^2; gradient 2 (sigma - y) sigma (1 - sigma).
  function binaryExplorer(z, label) {
    const s = sigmoid(z);
    const sNeg = sigmoid(-z); // 1 - sigma(z), without cancellation
    const bce = -(label * logSigmoid(z) + (1 - label) * logSigmoid(-z)) + 0;
    const diff = sigmoidError(z, label);
    return {
      sigma: s,
      bce: bce,
      bceGrad: diff,
      mse: diff * diff,
      mseGrad: 2 * diff * s * sNeg,
    };
  }

  // The curves are sampled where the logit sliders reach, -10 to 10, in steps of 1/4: 81 points,
  // each exact in binary (ce_book.explorer_vectors.CURVE_X is the same grid).
  const CURVE_X = [];
  for (let i = 0; i <= 80; i++) CURVE_X.push(-10 + i / 4);

  // Loss and dL/dz_j as logit j runs over CURVE_X, the other logits held where they are:
  // computed by softmaxExplorer, the function behind the numbers shown.
  function softmaxCurve(z, temperature, t, j) {
    const loss = [];
    const gradZ = [];
    CURVE_X.forEach(function (x) {
      const moved = z.slice();
      moved[j] = x;
      const r = softmaxExplorer(moved, temperature, t);
      loss.push(r.loss);
      gradZ.push(r.gradZ[j]);
    });
    return { x: CURVE_X.slice(), loss: loss, gradZ: gradZ };
  }

  // Both losses and both gradients of the binary explorer over CURVE_X, by binaryExplorer.
  function binaryCurve(label) {
    const out = { x: CURVE_X.slice(), bce: [], bceGrad: [], mse: [], mseGrad: [] };
    CURVE_X.forEach(function (x) {
      const r = binaryExplorer(x, label);
      ["bce", "bceGrad", "mse", "mseGrad"].forEach(function (k) { out[k].push(r[k]); });
    });
    return out;
  }

  // What a number box holds: {value} for a finite decimal number, else {error} naming the
  // problem. The book's own minus sign (U+2212) is accepted, so a number copied from the text
  // works; "NaN", "Infinity", "0x10" and "1,5" are not numbers a reader means.
  const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  function parseNumber(text) {
    const s = String(text).trim().replace(/\u2212/g, "-");
    if (s === "") return { error: "is empty: type a number" };
    if (!DECIMAL.test(s)) return { error: "holds \u201c" + s + "\u201d, which is not a number" };
    const v = Number(s);
    if (!isFinite(v)) return { error: "is too large to compute with (" + s + ")" };
    return { value: v };
  }

  const math = {
    logSoftmax: logSoftmax,
    softmaxExplorer: softmaxExplorer,
    sigmoid: sigmoid,
    binaryExplorer: binaryExplorer,
    CURVE_X: CURVE_X,
    softmaxCurve: softmaxCurve,
    binaryCurve: binaryCurve,
    parseNumber: parseNumber,
  };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = math; // lets the test suite check the numerics under Node as well
    return;
  }
  window.ceExplorerMath = math;

  /* ---------- small DOM helpers ---------- */

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  const SVG_NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const MINUS = "\u2212";

  const SUPERSCRIPT = {"-": "\u207b", "0": "\u2070", "1": "\u00b9", "2": "\u00b2",
    "3": "\u00b3", "4": "\u2074", "5": "\u2075", "6": "\u2076", "7": "\u2077",
    "8": "\u2078", "9": "\u2079"};

  // As the book prints numbers: a real minus sign, and 4.25 × 10⁻¹⁸ rather than 4.25e-18.
  function typeset(text) {
    const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(text);
    if (m) {
      const power = String(Number(m[2])).split("").map(function (c) { return SUPERSCRIPT[c]; });
      text = m[1] + " \u00d7 10" + power.join("");
    }
    return text.replace(/-/g, MINUS);
  }

  // Short, readable text; the exact value goes to data-value.
  function fmt(x, digits) {
    if (!isFinite(x)) return typeset(String(x));
    const a = Math.abs(x);
    if (a === 0) return (0).toFixed(digits);
    if (a >= 1e4 || a < Math.pow(10, -digits)) return typeset(x.toExponential(2));
    return typeset(x.toFixed(digits));
  }

  // For sentences: fmt with a real minus sign; short() drops trailing zeros (1.4, not 1.4000).
  function say(x, digits) { return fmt(x, digits).replace(/-/g, MINUS); }
  function short(x) { return String(Number(x.toPrecision(6))).replace(/-/g, MINUS); }

  function setOut(node, x, digits) {
    node.textContent = fmt(x, digits);
    node.setAttribute("data-value", String(x));
    node.removeAttribute("data-stale");
  }

  // An output whose inputs are invalid: no number at all, so no old loss passes for current.
  function staleOut(node) {
    node.textContent = "\u2014";
    node.removeAttribute("data-value");
    node.setAttribute("data-stale", "true");
  }

  // One value driven by a slider and a text box kept in step. The box takes any finite value
  // (huge logits, tiny temperatures) and the slider shows it clamped to its range. A box
  // that holds no usable number shows why, right beside it, and is marked aria-invalid; the
  // explorer then blanks its outputs until the box is fixed.
  function pairedInput(o) {
    const range = el("input", {
      type: "range", id: o.id, min: o.min, max: o.max, step: o.step,
      "data-control": o.control, "aria-label": o.label,
    });
    const num = el("input", {
      type: "text", id: o.id + "-number", autocomplete: "off", spellcheck: "false",
      class: "ce-x-number", "data-control": o.control + "-number",
      "aria-label": o.label + " (exact value)",
    });
    if (o.inputmode) num.setAttribute("inputmode", o.inputmode);
    const msg = el("span", {
      id: o.id + "-error", class: "ce-x-error", "data-error-for": num.id, hidden: "",
    });
    if (o.index !== undefined) {
      range.setAttribute("data-index", o.index);
      num.setAttribute("data-index", o.index);
    }
    const toSlider = o.toSlider || function (v) { return v; };
    const fromSlider = o.fromSlider || function (v) { return v; };
    const display = o.display || String;
    let value = o.value;
    let error = null;
    function show() {
      range.value = String(toSlider(value));
      num.value = display(value);
    }
    function setError(message) {
      error = message;
      msg.textContent = message || "";
      msg.hidden = !message;
      if (message) {
        num.setAttribute("aria-invalid", "true");
        num.setAttribute("aria-describedby", msg.id);
      } else {
        num.removeAttribute("aria-invalid");
        num.removeAttribute("aria-describedby");
      }
    }
    range.addEventListener("input", function () {
      value = fromSlider(parseFloat(range.value));
      num.value = display(value);
      setError(null);
      if (o.onSlide) o.onSlide();
      o.onChange();
    });
    num.addEventListener("input", function () {
      const r = parseNumber(num.value);
      const problem = r.error || (o.check ? o.check(r.value) : null);
      setError(problem ? o.name + " " + problem : null);
      if (!problem) {
        value = r.value;
        range.value = String(toSlider(value));
      }
      o.onChange();
    });
    [range, num].forEach(function (n) { n.addEventListener("change", o.onCommit); });
    show();
    return {
      range: range, num: num, msg: msg,
      get: function () { return value; },
      set: function (v) { value = v; setError(null); show(); },
      error: function () { return error; },
    };
  }

  /* ---------- plots: inline SVG, no library ---------- */

  // Plot geometry in SVG user units (the SVG scales to its box, about 1:1 on a phone and in a
  // two-column desktop layout, text with it).
  const W = 300;
  const H = 200;
  const FRAME = { left: 56, right: W - 12, top: 28, bottom: H - 44 };

  // Round tick positions: steps of 1, 2 or 5 times a power of ten, about `count` of them.
  function tickStep(lo, hi, count) {
    const raw = (hi - lo) / count;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    return [1, 2, 5, 10].map(function (m) { return m * mag; })
      .find(function (s) { return s >= raw * (1 - 1e-9); });
  }

  function tickLabel(v, step) {
    if (Math.abs(v) < step * 1e-6) return "0";
    let text;
    if (step >= 1e4 || step < 1e-3) {
      const digits = Math.max(0, Math.floor(Math.log10(Math.abs(v))) -
        Math.floor(Math.log10(step) + 1e-9));
      text = v.toExponential(digits).replace("e+", "e");
    } else {
      text = v.toFixed(Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
    }
    return text.replace("-", MINUS);
  }

  // The y range: always includes 0, ends on round ticks (a curve may overshoot the last tick by
  // 1 % of a step, so that a loss of 10.00005 does not call for an empty band up to 15).
  function yDomain(values) {
    let lo = 0;
    let hi = 0;
    values.forEach(function (v) {
      if (isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    });
    if (hi - lo === 0 || !isFinite(hi - lo)) hi = lo + 1;
    const step = tickStep(lo, hi, 5);
    return { lo: Math.floor(lo / step + 0.01) * step, hi: Math.ceil(hi / step - 0.01) * step,
      step: step };
  }

  // A small plot of one or two curves against a logit, with a dot at the current logit.
  // o: {id, title, xName, curves: [{key, label, alt}]}; draw() gets the samples.
  function makePlot(o) {
    const titleId = o.id + "-title";
    const descId = o.id + "-desc";
    const root = svg("svg", {
      id: o.id, class: "ce-x-plot", viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-labelledby": titleId + " " + descId, "data-plot": o.key,
      "data-frame": [FRAME.left, FRAME.top, FRAME.right, FRAME.bottom].join(" "),
    });
    const title = svg("title", { id: titleId });
    const desc = svg("desc", { id: descId });
    const axes = svg("g", { class: "ce-x-axes", "aria-hidden": "true" });
    root.appendChild(title);
    root.appendChild(desc);
    root.appendChild(axes);
    const curves = o.curves.map(function (c) {
      const path = svg("path", {
        class: "ce-x-curve" + (c.alt ? " ce-x-curve--alt" : ""), "data-curve": c.key,
      });
      const dot = svg("circle", {
        class: "ce-x-dot" + (c.alt ? " ce-x-dot--alt" : ""), "data-curve": c.key, r: 4.5,
      });
      root.appendChild(path);
      return { spec: c, path: path, dot: dot };
    });
    curves.forEach(function (c) { root.appendChild(c.dot); });

    // x: the samples' x; ys: {key: samples}; at: {x, ys: {key: value}} the current point;
    // xName names the x axis, heading (optional) replaces the plot's title.
    function draw(x, ys, at, xName, heading) {
      const name = heading || o.title;
      const x0 = x[0];
      const x1 = x[x.length - 1];
      const inside = at.x >= x0 && at.x <= x1;
      let all = [];
      curves.forEach(function (c) {
        all = all.concat(ys[c.spec.key]);
        if (inside) all.push(at.ys[c.spec.key]);
      });
      const yd = yDomain(all);
      root.setAttribute("data-x-domain", x0 + " " + x1);
      root.setAttribute("data-y-domain", yd.lo + " " + yd.hi);
      const px = function (v) {
        return FRAME.left + (v - x0) / (x1 - x0) * (FRAME.right - FRAME.left);
      };
      const py = function (v) {
        return FRAME.bottom - (v - yd.lo) / (yd.hi - yd.lo) * (FRAME.bottom - FRAME.top);
      };
      const r2 = function (v) { return (Math.round(v * 100) / 100).toString(); };

      // Axes, grid and ticks, redrawn each time (the y range follows the curves).
      axes.textContent = "";
      const nTop = Math.round(yd.hi / yd.step);
      for (let n = Math.round(yd.lo / yd.step); n <= nTop; n++) {
        const v = n * yd.step;
        const y = r2(py(v));
        axes.appendChild(svg("line", { class: n === 0 ? "ce-x-zero" : "ce-x-grid",
          x1: FRAME.left, x2: FRAME.right, y1: y, y2: y }));
        axes.appendChild(svg("text", { x: FRAME.left - 5, y: y, class: "ce-x-tick",
          "text-anchor": "end", "dominant-baseline": "middle" }, tickLabel(v, yd.step)));
      }
      for (let v = x0; v <= x1; v += 5) {
        const xp = r2(px(v));
        axes.appendChild(svg("line", { class: "ce-x-grid", x1: xp, x2: xp,
          y1: FRAME.top, y2: FRAME.bottom }));
        axes.appendChild(svg("text", { x: xp, y: FRAME.bottom + 17, class: "ce-x-tick",
          "text-anchor": "middle" }, tickLabel(v, 5)));
      }
      axes.appendChild(svg("path", { class: "ce-x-axis", d: "M" + FRAME.left + " " +
        FRAME.top + "V" + FRAME.bottom + "H" + FRAME.right }));
      axes.appendChild(svg("text", { x: 2, y: 15, class: "ce-x-plot-title" }, name));
      axes.appendChild(svg("text", { x: (FRAME.left + FRAME.right) / 2, y: H - 6,
        class: "ce-x-axis-label", "text-anchor": "middle" }, xName));

      // Each curve: its samples as a path (a gap where a value is not finite), and the dot.
      curves.forEach(function (c) {
        const y = ys[c.spec.key];
        let d = "";
        let pen = "M";
        x.forEach(function (xv, i) {
          if (!isFinite(y[i])) { pen = "M"; return; }
          d += pen + r2(px(xv)) + " " + r2(py(y[i]));
          pen = "L";
        });
        c.path.setAttribute("d", d);
        c.path.setAttribute("data-x", JSON.stringify(x));
        c.path.setAttribute("data-y", JSON.stringify(y));
        // The dot sits on the curve at the current logit; off the plotted range it waits,
        // hollow, at the nearer edge.
        const yv = at.ys[c.spec.key];
        const cx = Math.min(Math.max(px(at.x), FRAME.left), FRAME.right);
        const cy = Math.min(Math.max(py(yv), FRAME.top), FRAME.bottom);
        c.dot.setAttribute("cx", r2(cx));
        c.dot.setAttribute("cy", r2(isFinite(cy) ? cy : FRAME.bottom));
        c.dot.setAttribute("data-x", String(at.x));
        c.dot.setAttribute("data-y", String(yv));
        c.dot.setAttribute("data-offscale", inside ? "false" : "true");
        c.dot.removeAttribute("visibility");
      });

      title.textContent = name + " against " + xName;
      desc.textContent = describe(x, ys, at, xName, inside);
      root.removeAttribute("data-stale");
    }

    // The text alternative: where each curve starts, ends and turns, and where the dot is.
    function describe(x, ys, at, xName, inside) {
      const name = xName.split(",")[0];
      const parts = curves.map(function (c) {
        const y = ys[c.spec.key];
        let lo = 0;
        let hi = 0;
        y.forEach(function (v, i) { if (v < y[lo]) lo = i; if (v > y[hi]) hi = i; });
        const label = c.spec.label.charAt(0).toUpperCase() + c.spec.label.slice(1);
        let text = label + " goes from " + say(y[0], 3) + " at " + name + " = " +
          say(x[0], 0) + " to " + say(y[y.length - 1], 3) + " at " + name + " = " +
          say(x[x.length - 1], 0);
        [[lo, "lowest"], [hi, "highest"]].forEach(function (e) {
          if (e[0] > 0 && e[0] < y.length - 1) {
            text += ", " + e[1] + " " + say(y[e[0]], 3) + " at " + name + " = " + say(x[e[0]], 2);
          }
        });
        return text + ".";
      });
      const where = (inside ? (curves.length > 1 ? "The dots mark" : "The dot marks") +
        " the current " : "The current ") + name + " = " + say(at.x, 2) +
        (inside ? "," : ", off the plotted range,");
      const values = curves.map(function (c) {
        return c.spec.label + " is " + say(at.ys[c.spec.key], 3);
      });
      return parts.join(" ") + " " + where + " where " + values.join(" and ") + ".";
    }

    // Inputs invalid: the curves stay, greyed by CSS; the dots go; the description says so.
    function stale() {
      root.setAttribute("data-stale", "true");
      curves.forEach(function (c) { c.dot.setAttribute("visibility", "hidden"); });
      desc.textContent = "Out of date: an input above is invalid.";
    }

    return { svg: root, draw: draw, stale: stale };
  }

  // Explanation of the line styles, shared by both plots of the binary explorer.
  function legend(items) {
    return el("p", { class: "ce-x-legend", "aria-hidden": "true" }, items.map(function (it) {
      const key = svg("svg", { viewBox: "0 0 24 8", class: "ce-x-legend-key" });
      key.appendChild(svg("path", {
        d: "M1 4H23", class: "ce-x-curve" + (it.alt ? " ce-x-curve--alt" : ""),
      }));
      const item = el("span", { text: it.label });
      item.insertBefore(key, item.firstChild);
      return item;
    }));
  }

  /* ---------- softmax / cross-entropy explorer ---------- */

  const MIN_K = 3;
  const MAX_K = 6;
  const START_LOGITS = [2.5, -1, 3.2, 0.5, 1, -2];
  const START_TARGETS = [0.7, 0.1, 0.2, 0, 0, 0];
  const SUM_SLACK = 1e-9; // how far from 1 the typed targets may sum (0.1 + 0.2 + 0.7 is fine)

  function buildSoftmax(root, pfx) {
    const state = { k: 4, target: "0", moved: 0 };
    const logits = [];
    const weights = [];
    const rows = [];
    const results = []; // every output that shows a result of the inputs

    const live = el("p", {
      class: "ce-x-live", id: pfx + "-summary", "data-output": "summary",
      "aria-live": "polite", "aria-atomic": "true",
    });

    function commit() { live.textContent = summaryText(); }

    function out(attrs) {
      const node = el("output", attrs);
      results.push(node);
      return node;
    }

    const logitBox = el("fieldset", { class: "ce-x-group" }, [
      el("legend", { text: "Logits z (one slider per class)" }),
    ]);
    const rowsBox = el("div", { class: "ce-x-rows", "data-role": "classes" });
    logitBox.appendChild(rowsBox);

    for (let i = 0; i < MAX_K; i++) {
      const name = "z" + (i + 1);
      const logit = pairedInput({
        id: pfx + "-z-" + i, index: i, control: "logit", label: "Logit " + name, name: name,
        min: -10, max: 10, step: 0.1, value: START_LOGITS[i],
        onChange: function () { state.moved = i; update(); }, onCommit: commit,
      });
      // A target slider moves t_i and rescales the others so that t stays a distribution;
      // a typed target is taken as typed, and checked.
      const weight = pairedInput({
        id: pfx + "-t-" + i, index: i, control: "soft-target", name: "t" + (i + 1),
        label: "Target probability t" + (i + 1), inputmode: "decimal",
        min: 0, max: 1, step: 0.01, value: START_TARGETS[i],
        display: function (v) { return String(Number(v.toPrecision(4))); },
        check: function (v) {
          return v < 0 ? "is negative: a target probability must be 0 or more" : null;
        },
        onSlide: function () { rebalance(i); }, onChange: update, onCommit: commit,
      });
      const probBar = el("span", { class: "ce-x-bar ce-x-bar--prob" });
      const probVal = out({
        id: pfx + "-p-" + i, "data-output": "prob", "data-index": i,
        "aria-label": "Probability of class " + (i + 1),
      });
      const tVal = out({
        id: pfx + "-target-" + i, "data-output": "target", "data-index": i,
        "aria-label": "Target probability of class " + (i + 1),
      });
      const gradBar = el("span", { class: "ce-x-bar ce-x-bar--grad" });
      const gradVal = out({
        id: pfx + "-g-" + i, "data-output": "grad", "data-index": i,
        "aria-label": "Gradient p minus t for class " + (i + 1),
      });
      const gradZVal = out({
        id: pfx + "-gz-" + i, "data-output": "grad-z", "data-index": i,
        "aria-label": "Gradient of the loss with respect to logit z" + (i + 1) +
          ", (p minus t) divided by T",
      });
      const weightBox = el("span", { class: "ce-x-soft", "data-role": "soft-target" }, [
        el("label", { for: weight.num.id, text: "t" + (i + 1) }), weight.range, weight.num,
        weight.msg,
      ]);
      const row = el("div", { class: "ce-x-class", "data-index": i }, [
        el("div", { class: "ce-x-inputs" }, [
          el("label", { for: logit.range.id, class: "ce-x-name", text: name }),
          logit.range, logit.num, logit.msg, weightBox,
        ]),
        el("div", { class: "ce-x-meter" }, [
          el("span", { class: "ce-x-key", text: "p" }),
          el("span", { class: "ce-x-track" }, [probBar]), probVal,
        ]),
        el("div", { class: "ce-x-meter" }, [
          el("span", { class: "ce-x-key", text: "p\u2212t" }),
          el("span", { class: "ce-x-track ce-x-track--signed" }, [gradBar]), gradVal,
        ]),
        el("div", { class: "ce-x-meter ce-x-meter--dz" }, [
          el("span", { class: "ce-x-key", text: "\u2202L/\u2202z" + (i + 1) }), gradZVal,
        ]),
        el("div", { class: "ce-x-meter ce-x-meter--target" }, [
          el("span", { class: "ce-x-key", text: "t" }), tVal,
        ]),
      ]);
      rowsBox.appendChild(row);
      logits.push(logit);
      weights.push(weight);
      rows.push({
        row: row, probBar: probBar, probVal: probVal, gradBar: gradBar, gradVal: gradVal,
        gradZVal: gradZVal, tVal: tVal, weightBox: weightBox,
      });
    }

    // Soft targets: their sum, and what to do when it is not 1.
    const sumText = el("span", { id: pfx + "-target-sum", "data-role": "target-sum" });
    const sumMsg = el("span", { id: pfx + "-target-sum-error", class: "ce-x-error",
      "data-error-for": "target-sum", hidden: "" });
    const normaliseBtn = el("button", {
      type: "button", id: pfx + "-normalise", "data-control": "normalise",
      text: "Divide t by its sum", hidden: "",
    });
    // t_i / sum(t): the nearest distribution in proportion (nothing to do if all are 0).
    function normaliseTargets() {
      const t = weights.slice(0, state.k).map(function (w) { return w.get(); });
      const total = t.reduce(function (a, b) { return a + b; }, 0);
      if (total > 0) t.forEach(function (v, i) { weights[i].set(v / total); });
    }
    normaliseBtn.addEventListener("click", function () {
      normaliseTargets();
      update();
      commit();
    });
    const sumLine = el("p", { class: "ce-x-sum", "data-role": "soft-target" },
      [sumText, sumMsg, normaliseBtn]);
    logitBox.appendChild(sumLine);

    const addBtn = el("button", {
      type: "button", id: pfx + "-add", "data-control": "add-class",
      "aria-label": "Add a class", text: "+ class",
    });
    const removeBtn = el("button", {
      type: "button", id: pfx + "-remove", "data-control": "remove-class",
      "aria-label": "Remove the last class", text: "\u2212 class",
    });
    const count = el("output", {
      id: pfx + "-count", "data-output": "class-count", "aria-label": "Number of classes",
    });
    addBtn.addEventListener("click", function () { setK(state.k + 1); });
    removeBtn.addEventListener("click", function () { setK(state.k - 1); });

    // The temperature slider moves on a log scale, 0.01 to 10; the box takes any T > 0.
    const temp = pairedInput({
      id: pfx + "-temperature", control: "temperature", label: "Temperature T", name: "T",
      min: -2, max: 1, step: 0.01, value: 1, inputmode: "decimal",
      toSlider: function (v) { return Math.log10(v); },
      fromSlider: function (s) { return Number(Math.pow(10, s).toPrecision(3)); },
      check: function (v) { return v > 0 ? null : "must be greater than 0"; },
      onChange: update, onCommit: commit,
    });

    const targetSelect = el("select", {
      id: pfx + "-target", "data-control": "target", "aria-label": "Target",
    });
    targetSelect.addEventListener("change", function () {
      state.target = targetSelect.value;
      update();
      commit();
    });

    const settings = el("div", { class: "ce-x-settings" }, [
      el("div", { class: "ce-x-setting" }, [
        el("label", { for: targetSelect.id, text: "Target" }), targetSelect,
      ]),
      el("div", { class: "ce-x-setting" }, [
        el("label", { for: temp.range.id, text: "Temperature T" }), temp.range, temp.num,
        temp.msg,
      ]),
      el("div", { class: "ce-x-setting ce-x-buttons", role: "group",
        "aria-label": "Number of classes" }, [removeBtn, count, addBtn]),
    ]);

    const lossOut = out({ id: pfx + "-loss", "data-output": "loss",
      "aria-label": "Cross-entropy loss in nats" });
    const sumOut = out({ id: pfx + "-grad-sum", "data-output": "grad-sum",
      "aria-label": "Sum of the gradient components" });
    const totals = el("p", { class: "ce-x-totals" }, [
      el("span", { text: "loss L = " }), lossOut, el("span", { text: " nats \u00b7 " }),
      el("span", { text: "\u2211(p\u2212t) = " }), sumOut,
    ]);
    const staleNote = el("p", { class: "ce-x-stale-note", id: pfx + "-stale", hidden: "" });

    const lossPlot = makePlot({ id: pfx + "-plot-loss", key: "loss", title: "Loss L (nats)",
      curves: [{ key: "loss", label: "the loss" }] });
    const gradPlot = makePlot({ id: pfx + "-plot-grad", key: "grad", title: "Gradient",
      curves: [{ key: "grad", label: "the gradient" }] });

    root.appendChild(settings);
    root.appendChild(logitBox);
    root.appendChild(staleNote);
    root.appendChild(totals);
    root.appendChild(el("div", { class: "ce-x-plots" }, [lossPlot.svg, gradPlot.svg]));
    root.appendChild(el("p", { class: "ce-x-note", text:
      "p = softmax(z / T). The bars show p \u2212 t, the gradient of the loss with respect " +
      "to z / T; the gradient with respect to the logits themselves is " +
      "\u2202L/\u2202z = (p \u2212 t) / T, the same at T = 1. The plots move the logit you " +
      "touched last and hold the others where they are." }));
    root.appendChild(live);

    function fillTargets() {
      const keep = state.target;
      targetSelect.textContent = "";
      for (let i = 0; i < state.k; i++) {
        targetSelect.appendChild(el("option", { value: String(i), text: "class " + (i + 1) }));
      }
      targetSelect.appendChild(el("option", { value: "soft", text: "soft targets" }));
      if (keep !== "soft" && Number(keep) >= state.k) state.target = String(state.k - 1);
      targetSelect.value = state.target;
    }

    // Slider i moved: the other targets share what is left, 1 - t_i, in their present
    // proportions (equally if they are all 0), so the targets still sum to 1.
    function rebalance(i) {
      const left = 1 - weights[i].get();
      let rest = 0;
      for (let j = 0; j < state.k; j++) if (j !== i) rest += Math.max(weights[j].get(), 0);
      for (let j = 0; j < state.k; j++) {
        if (j === i) continue;
        const share = rest > 0 ? Math.max(weights[j].get(), 0) / rest : 1 / (state.k - 1);
        weights[j].set(left * share);
      }
    }

    // The target t and every problem with the inputs (each message names the problem).
    function readInputs() {
      const soft = state.target === "soft";
      const boxes = [temp].concat(logits.slice(0, state.k), soft ? weights.slice(0, state.k) : []);
      const problems = boxes.map(function (b) { return b.error(); }).filter(Boolean);
      let t;
      let sumProblem = null;
      if (!soft) {
        t = new Array(state.k).fill(0);
        t[Number(state.target)] = 1;
      } else {
        t = weights.slice(0, state.k).map(function (w) { return w.get(); });
        const total = t.reduce(function (a, b) { return a + b; }, 0);
        sumText.textContent = problems.length ? "" : "\u2211t = " + short(total);
        if (!problems.length && !(Math.abs(total - 1) <= SUM_SLACK)) {
          sumProblem = "t sums to " + short(total) + ", not 1: the targets must form a " +
            "probability distribution.";
          problems.push(sumProblem);
        }
      }
      // Every typed t is marked while the sum is wrong; each keeps its own message if it has one.
      weights.forEach(function (w, i) {
        if (w.error()) return;
        if (sumProblem && i < state.k) {
          w.num.setAttribute("aria-invalid", "true");
          w.num.setAttribute("aria-describedby", sumMsg.id);
        } else {
          w.num.removeAttribute("aria-invalid");
          w.num.removeAttribute("aria-describedby");
        }
      });
      sumMsg.textContent = sumProblem || "";
      sumMsg.hidden = !sumProblem;
      normaliseBtn.hidden = !sumProblem;
      sumLine.hidden = !soft;
      const z = logits.slice(0, state.k).map(function (x) { return x.get(); });
      if (!problems.length && !z.every(function (v) { return isFinite(v / temp.get()); })) {
        problems.push("z / T is too large to compute with: raise T or shrink the logits.");
      }
      return { z: z, t: t, problems: problems };
    }

    let last = null;
    let lastProblem = null;

    function summaryText() {
      if (!last) return "Input problem: " + lastProblem + ". The outputs are out of date.";
      const ps = last.probs.map(function (p, i) { return "p" + (i + 1) + " " + fmt(p, 3); });
      return "Loss " + fmt(last.loss, 3) + " nats. Probabilities: " + ps.join(", ") +
        ". The gradient components sum to zero.";
    }

    function update() {
      root.setAttribute("data-classes", String(state.k));
      root.setAttribute("data-target", state.target);
      if (state.moved >= state.k) state.moved = 0;
      root.setAttribute("data-moved", String(state.moved));
      count.textContent = state.k + " classes";
      count.setAttribute("data-value", String(state.k));
      addBtn.disabled = state.k >= MAX_K;
      removeBtn.disabled = state.k <= MIN_K;
      const soft = state.target === "soft";
      for (let i = 0; i < MAX_K; i++) {
        rows[i].row.hidden = i >= state.k;
        rows[i].weightBox.hidden = !soft;
        rows[i].row.classList.toggle("ce-x-moved", i === state.moved);
      }

      const input = readInputs();
      if (input.problems.length) {
        // Invalid input: blank every result, grey the bars and plots, say why.
        last = null;
        lastProblem = input.problems[0].replace(/\.$/, "");
        root.setAttribute("data-valid", "false");
        results.forEach(staleOut);
        rows.forEach(function (r) { r.probBar.style.width = "0"; r.gradBar.style.width = "0"; });
        staleNote.textContent = "No outputs until the input is fixed. " +
          lastProblem + ".";
        staleNote.hidden = false;
        lossPlot.stale();
        gradPlot.stale();
        return;
      }
      root.setAttribute("data-valid", "true");
      staleNote.hidden = true;
      const T = temp.get();
      const r = softmaxExplorer(input.z, T, input.t);
      last = r;
      for (let i = 0; i < state.k; i++) {
        rows[i].probBar.style.width = (100 * r.probs[i]).toFixed(2) + "%";
        setOut(rows[i].probVal, r.probs[i], 4);
        setOut(rows[i].tVal, input.t[i], 3);
        const g = r.grad[i];
        const half = 50 * Math.min(Math.abs(g), 1);
        rows[i].gradBar.style.width = half.toFixed(2) + "%";
        rows[i].gradBar.style.left = (g < 0 ? 50 - half : 50).toFixed(2) + "%";
        rows[i].gradBar.setAttribute("data-sign", g < 0 ? "negative" : "positive");
        setOut(rows[i].gradVal, g, 4);
        setOut(rows[i].gradZVal, r.gradZ[i], 4);
      }
      setOut(lossOut, r.loss, 4);
      setOut(sumOut, r.gradSum, 4);
      if (Math.abs(r.gradSum) < 1e-12) sumOut.textContent = "0 (up to rounding)";

      // The curves against the moved logit z_j, from the same function as the numbers.
      const j = state.moved;
      const c = softmaxCurve(input.z, T, input.t, j);
      const xName = "z" + (j + 1) + ", the logit you move";
      lossPlot.draw(c.x, { loss: c.loss }, { x: input.z[j], ys: { loss: r.loss } }, xName);
      gradPlot.draw(c.x, { grad: c.gradZ }, { x: input.z[j], ys: { grad: r.gradZ[j] } }, xName,
        "Gradient \u2202L/\u2202z" + (j + 1) + " = (p" + (j + 1) + " \u2212 t" + (j + 1) + ") / T");
    }

    // Adding or removing a class keeps soft targets a distribution, if they were one: the
    // targets of the remaining classes are divided by their new sum.
    function setK(k) {
      const wasValid = root.getAttribute("data-valid") === "true";
      state.k = Math.max(MIN_K, Math.min(MAX_K, k));
      if (state.target === "soft" && wasValid) normaliseTargets();
      fillTargets();
      update();
      commit();
    }

    fillTargets();
    setK(state.k);
  }

  /* ---------- binary explorer: BCE beside squared error ---------- */

  function buildBinary(root, pfx) {
    const state = { label: 1 };
    const live = el("p", {
      class: "ce-x-live", id: pfx + "-summary", "data-output": "summary",
      "aria-live": "polite", "aria-atomic": "true",
    });
    const logit = pairedInput({
      id: pfx + "-z", control: "logit", label: "Logit z", name: "z", min: -10, max: 10,
      step: 0.1, value: -4, onChange: update, onCommit: commit,
    });
    const labels = el("fieldset", { class: "ce-x-setting ce-x-radios" }, [
      el("legend", { text: "True label t" }),
    ]);
    [0, 1].forEach(function (v) {
      const r = el("input", {
        type: "radio", name: pfx + "-label", id: pfx + "-label-" + v, value: String(v),
        "data-control": "label", "aria-label": "True label " + v,
      });
      if (v === state.label) r.checked = true;
      r.addEventListener("change", function () {
        if (r.checked) { state.label = v; update(); commit(); }
      });
      labels.appendChild(el("span", {}, [r, el("label", { for: r.id, text: "t = " + v })]));
    });

    function out(name, label) {
      return el("output", { id: pfx + "-" + name, "data-output": name, "aria-label": label });
    }
    const o = {
      sigma: out("sigma", "Sigmoid of z"),
      bce: out("bce", "Binary cross-entropy loss"),
      bceGrad: out("bce-grad", "Gradient of the binary cross-entropy with respect to z"),
      mse: out("mse", "Squared error loss"),
      mseGrad: out("mse-grad", "Gradient of the squared error with respect to z"),
    };
    const bceBar = el("span", { class: "ce-x-bar ce-x-bar--grad" });
    const mseBar = el("span", { class: "ce-x-bar ce-x-bar--grad ce-x-bar--alt" });

    function meter(bar) {
      return el("span", { class: "ce-x-track ce-x-track--signed" }, [bar]);
    }

    const table = el("div", { class: "ce-x-binary" }, [
      el("div", { class: "ce-x-col" }, [
        el("p", { class: "ce-x-head", text: "Cross-entropy" }),
        el("p", {}, [el("span", { text: "loss \u2212t log \u03c3 \u2212 (1\u2212t) log(1\u2212\u03c3) = " }), o.bce]),
        el("p", {}, [el("span", { text: "\u2202L/\u2202z = \u03c3 \u2212 t = " }), o.bceGrad]),
        meter(bceBar),
      ]),
      el("div", { class: "ce-x-col" }, [
        el("p", { class: "ce-x-head", text: "Squared error" }),
        el("p", {}, [el("span", { text: "loss (\u03c3 \u2212 t)\u00b2 = " }), o.mse]),
        el("p", {}, [el("span", {
          text: "\u2202L/\u2202z = 2(\u03c3 \u2212 t)\u03c3(1 \u2212 \u03c3) = " }), o.mseGrad]),
        meter(mseBar),
      ]),
    ]);
    const staleNote = el("p", { class: "ce-x-stale-note", id: pfx + "-stale", hidden: "" });

    const CURVES = [
      { key: "bce", label: "cross-entropy" },
      { key: "mse", label: "squared error", alt: true },
    ];
    const lossPlot = makePlot({ id: pfx + "-plot-loss", key: "loss", title: "Loss",
      curves: CURVES });
    const gradPlot = makePlot({ id: pfx + "-plot-grad", key: "grad", title: "Gradient \u2202L/\u2202z",
      curves: CURVES });

    root.appendChild(el("div", { class: "ce-x-settings" }, [
      el("div", { class: "ce-x-setting" }, [
        el("label", { for: logit.range.id, text: "Logit z" }), logit.range, logit.num, logit.msg,
      ]),
      labels,
    ]));
    root.appendChild(staleNote);
    root.appendChild(el("p", { class: "ce-x-totals" }, [
      el("span", { text: "\u03c3(z) = " }), o.sigma,
    ]));
    root.appendChild(table);
    root.appendChild(el("div", { class: "ce-x-plots" }, [lossPlot.svg, gradPlot.svg]));
    root.appendChild(legend(CURVES));
    root.appendChild(el("p", { class: "ce-x-note", text:
      "Both gradient bars share one scale, from \u22121 to 1. Push z far to the wrong side: " +
      "the cross-entropy gradient stays large, the squared-error gradient fades away. The " +
      "plots draw both losses and both gradients for every z from \u221210 to 10; the dots " +
      "mark the z you set." }));
    root.appendChild(live);

    let last = null;
    function commit() {
      if (!last) {
        live.textContent = "Input problem: " + logit.error() + ". The outputs are out of date.";
        return;
      }
      live.textContent = "sigma " + fmt(last.sigma, 3) + ". Cross-entropy loss " +
        fmt(last.bce, 3) + ", gradient " + fmt(last.bceGrad, 3) + ". Squared error " +
        fmt(last.mse, 3) + ", gradient " + fmt(last.mseGrad, 3) + ".";
    }

    function bar(node, g) {
      const half = 50 * Math.min(Math.abs(g), 1);
      node.style.width = half.toFixed(2) + "%";
      node.style.left = (g < 0 ? 50 - half : 50).toFixed(2) + "%";
      node.setAttribute("data-sign", g < 0 ? "negative" : "positive");
    }

    function update() {
      root.setAttribute("data-label", String(state.label));
      if (logit.error()) {
        last = null;
        root.setAttribute("data-valid", "false");
        Object.keys(o).forEach(function (k) { staleOut(o[k]); });
        bceBar.style.width = "0";
        mseBar.style.width = "0";
        staleNote.textContent = "No outputs until the input is fixed. " +
          logit.error() + ".";
        staleNote.hidden = false;
        // the live summary must not keep announcing the last valid values
        live.textContent = "Input problem: " + logit.error() + ". The outputs are out of date.";
        lossPlot.stale();
        gradPlot.stale();
        return;
      }
      root.setAttribute("data-valid", "true");
      staleNote.hidden = true;
      const z = logit.get();
      const r = binaryExplorer(z, state.label);
      last = r;
      setOut(o.sigma, r.sigma, 4);
      setOut(o.bce, r.bce, 4);
      setOut(o.bceGrad, r.bceGrad, 4);
      setOut(o.mse, r.mse, 4);
      setOut(o.mseGrad, r.mseGrad, 4);
      bar(bceBar, r.bceGrad);
      bar(mseBar, r.mseGrad);
      // The curves, from binaryExplorer like the numbers above.
      const c = binaryCurve(state.label);
      lossPlot.draw(c.x, { bce: c.bce, mse: c.mse }, { x: z, ys: { bce: r.bce, mse: r.mse } },
        "z, the logit");
      gradPlot.draw(c.x, { bce: c.bceGrad, mse: c.mseGrad },
        { x: z, ys: { bce: r.bceGrad, mse: r.mseGrad } }, "z, the logit");
    }

    update();
    commit();
  }

  /* ---------- start-up, also after mkdocs-material's instant navigation ---------- */

  const BUILDERS = { softmax: buildSoftmax, binary: buildBinary };

  function initAll() {
    const seen = {};
    document.querySelectorAll(".ce-explorer[data-explorer]").forEach(function (root) {
      const kind = root.getAttribute("data-explorer");
      const build = BUILDERS[kind];
      seen[kind] = (seen[kind] || 0) + 1;
      if (!build || root.getAttribute("data-ready") === "true") return;
      const pfx = "ce-" + kind + (seen[kind] > 1 ? "-" + seen[kind] : "");
      root.setAttribute("role", "group");
      root.setAttribute("aria-label", kind === "softmax"
        ? "Softmax and cross-entropy explorer" : "Binary cross-entropy and squared error explorer");
      root.setAttribute("data-prefix", pfx);
      build(root, pfx);
      root.setAttribute("data-ready", "true");
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(initAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
