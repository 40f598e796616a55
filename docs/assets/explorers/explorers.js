/*
 * Interactive explorers for the cross-entropy book (plain JavaScript, no network, no framework).
 *
 * A page asks for an explorer with an empty container:
 *   <div class="ce-explorer" data-explorer="softmax"></div>   softmax, cross-entropy and p - t
 *   <div class="ce-explorer" data-explorer="binary"></div>    sigmoid, BCE beside squared error
 *
 * The numbers follow ce_book exactly (the same stable formulas): every explorer is checked in a
 * browser against docs/assets/explorers/vectors.json, which scripts/make_explorer_vectors.py
 * writes from ce_book. Each output carries its full-precision value in data-value.
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

  // Softmax of z / T, the cross-entropy against the target distribution t, and p - t.
  function softmaxExplorer(z, temperature, t) {
    const u = z.map(function (v) { return v / temperature; });
    const logp = logSoftmax(u);
    const p = logp.map(Math.exp);
    let loss = 0;
    for (let i = 0; i < t.length; i++) if (t[i] !== 0) loss -= t[i] * logp[i];
    const grad = p.map(function (v, i) { return v - t[i]; });
    const gradSum = grad.reduce(function (a, b) { return a + b; }, 0);
    return { probs: p, loss: loss, grad: grad, gradSum: gradSum };
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

  const math = {
    logSoftmax: logSoftmax,
    softmaxExplorer: softmaxExplorer,
    sigmoid: sigmoid,
    binaryExplorer: binaryExplorer,
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

  // Short, readable text; the exact value goes to data-value.
  function fmt(x, digits) {
    if (!isFinite(x)) return String(x);
    const a = Math.abs(x);
    if (a === 0) return (0).toFixed(digits);
    if (a >= 1e4 || a < Math.pow(10, -digits)) return x.toExponential(2);
    return x.toFixed(digits);
  }

  function setOut(node, x, digits) {
    node.textContent = fmt(x, digits);
    node.setAttribute("data-value", String(x));
  }

  function readNumber(input) {
    const v = parseFloat(input.value);
    return isFinite(v) ? v : null;
  }

  // One value driven by a slider and a number box kept in step; the number box takes any
  // value (huge logits, tiny temperatures), the slider shows it clamped to its range.
  function pairedInput(o) {
    const range = el("input", {
      type: "range", id: o.id, min: o.min, max: o.max, step: o.step,
      "data-control": o.control, "aria-label": o.label,
    });
    const num = el("input", {
      type: "number", id: o.id + "-number", step: "any", inputmode: "decimal",
      "data-control": o.control + "-number", "aria-label": o.label + " (exact value)",
    });
    if (o.index !== undefined) {
      range.setAttribute("data-index", o.index);
      num.setAttribute("data-index", o.index);
    }
    const toSlider = o.toSlider || function (v) { return v; };
    const fromSlider = o.fromSlider || function (v) { return v; };
    let value = o.value;
    function show() {
      range.value = String(toSlider(value));
      num.value = String(value);
    }
    range.addEventListener("input", function () {
      value = fromSlider(parseFloat(range.value));
      num.value = String(value);
      o.onChange();
    });
    num.addEventListener("input", function () {
      const v = readNumber(num);
      if (v === null || (o.valid && !o.valid(v))) {
        num.setAttribute("aria-invalid", "true");
        return;
      }
      num.removeAttribute("aria-invalid");
      value = v;
      range.value = String(toSlider(value));
      o.onChange();
    });
    [range, num].forEach(function (n) { n.addEventListener("change", o.onCommit); });
    show();
    return {
      range: range, num: num,
      get: function () { return value; },
      set: function (v) { value = v; show(); },
    };
  }

  /* ---------- softmax / cross-entropy explorer ---------- */

  const MIN_K = 3;
  const MAX_K = 6;
  const START_LOGITS = [2.5, -1, 3.2, 0.5, 1, -2];
  const START_WEIGHTS = [0.7, 0.1, 0.2, 0, 0, 0];

  function buildSoftmax(root, pfx) {
    const state = { k: 4, temperature: 1, target: "0" };
    const logits = [];
    const weights = [];
    const rows = [];

    const live = el("p", {
      class: "ce-x-live", id: pfx + "-summary", "data-output": "summary",
      "aria-live": "polite", "aria-atomic": "true",
    });

    function commit() { live.textContent = summaryText(); }

    const logitBox = el("fieldset", { class: "ce-x-group" }, [
      el("legend", { text: "Logits z (one slider per class)" }),
    ]);
    const rowsBox = el("div", { class: "ce-x-rows", "data-role": "classes" });
    logitBox.appendChild(rowsBox);

    for (let i = 0; i < MAX_K; i++) {
      const name = "z" + (i + 1);
      const logit = pairedInput({
        id: pfx + "-z-" + i, index: i, control: "logit", label: "Logit " + name,
        min: -10, max: 10, step: 0.1, value: START_LOGITS[i], onChange: update, onCommit: commit,
      });
      const weight = pairedInput({
        id: pfx + "-t-" + i, index: i, control: "soft-target", label:
          "Soft target weight for class " + (i + 1),
        min: 0, max: 1, step: 0.01, value: START_WEIGHTS[i],
        valid: function (v) { return v >= 0; }, onChange: update, onCommit: commit,
      });
      const probBar = el("span", { class: "ce-x-bar ce-x-bar--prob" });
      const probVal = el("output", {
        id: pfx + "-p-" + i, "data-output": "prob", "data-index": i,
        "aria-label": "Probability of class " + (i + 1),
      });
      const tVal = el("output", {
        id: pfx + "-target-" + i, "data-output": "target", "data-index": i,
        "aria-label": "Target probability of class " + (i + 1),
      });
      const gradBar = el("span", { class: "ce-x-bar ce-x-bar--grad" });
      const gradVal = el("output", {
        id: pfx + "-g-" + i, "data-output": "grad", "data-index": i,
        "aria-label": "Gradient p minus t for class " + (i + 1),
      });
      const weightBox = el("span", { class: "ce-x-soft", "data-role": "soft-target" }, [
        el("label", { for: weight.num.id, text: "t weight" }), weight.range, weight.num,
      ]);
      const row = el("div", { class: "ce-x-class", "data-index": i }, [
        el("div", { class: "ce-x-inputs" }, [
          el("label", { for: logit.range.id, class: "ce-x-name", text: name }),
          logit.range, logit.num, weightBox,
        ]),
        el("div", { class: "ce-x-meter" }, [
          el("span", { class: "ce-x-key", text: "p" }),
          el("span", { class: "ce-x-track" }, [probBar]), probVal,
        ]),
        el("div", { class: "ce-x-meter" }, [
          el("span", { class: "ce-x-key", text: "p\u2212t" }),
          el("span", { class: "ce-x-track ce-x-track--signed" }, [gradBar]), gradVal,
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
        tVal: tVal, weightBox: weightBox,
      });
    }

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

    // The temperature slider moves on a log scale, 0.01 to 10; the number box takes any T > 0.
    const temp = pairedInput({
      id: pfx + "-temperature", control: "temperature", label: "Temperature T",
      min: -2, max: 1, step: 0.01, value: 1,
      toSlider: function (v) { return Math.log10(v); },
      fromSlider: function (s) { return Number(Math.pow(10, s).toPrecision(3)); },
      valid: function (v) { return v > 0; }, onChange: update, onCommit: commit,
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
      ]),
      el("div", { class: "ce-x-setting ce-x-buttons", role: "group",
        "aria-label": "Number of classes" }, [removeBtn, count, addBtn]),
    ]);

    const lossOut = el("output", { id: pfx + "-loss", "data-output": "loss",
      "aria-label": "Cross-entropy loss in nats" });
    const sumOut = el("output", { id: pfx + "-grad-sum", "data-output": "grad-sum",
      "aria-label": "Sum of the gradient components" });
    const totals = el("p", { class: "ce-x-totals" }, [
      el("span", { text: "loss L = " }), lossOut, el("span", { text: " nats \u00b7 " }),
      el("span", { text: "\u2211(p\u2212t) = " }), sumOut,
    ]);

    root.appendChild(settings);
    root.appendChild(logitBox);
    root.appendChild(totals);
    root.appendChild(el("p", { class: "ce-x-note", text:
      "p = softmax(z / T); the bars p \u2212 t are the gradient of the loss with respect to " +
      "z / T (divide by T for the gradient with respect to z)." }));
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

    function targets() {
      if (state.target !== "soft") {
        const t = new Array(state.k).fill(0);
        t[Number(state.target)] = 1;
        return t;
      }
      const w = weights.slice(0, state.k).map(function (x) { return x.get(); });
      const total = w.reduce(function (a, b) { return a + b; }, 0);
      if (!(total > 0)) return null;
      return w.map(function (x) { return x / total; });
    }

    let last = null;

    function summaryText() {
      if (!last) return "Soft target weights must not all be zero.";
      const ps = last.probs.map(function (p, i) { return "p" + (i + 1) + " " + fmt(p, 3); });
      return "Loss " + fmt(last.loss, 3) + " nats. Probabilities: " + ps.join(", ") +
        ". The gradient components sum to zero.";
    }

    function update() {
      const t = targets();
      root.setAttribute("data-classes", String(state.k));
      root.setAttribute("data-target", state.target);
      if (t === null) {
        last = null;
        root.setAttribute("data-valid", "false");
        return;
      }
      root.setAttribute("data-valid", "true");
      const z = logits.slice(0, state.k).map(function (x) { return x.get(); });
      const r = softmaxExplorer(z, temp.get(), t);
      last = r;
      const gmax = 1;
      for (let i = 0; i < MAX_K; i++) {
        const show = i < state.k;
        rows[i].row.hidden = !show;
        rows[i].weightBox.hidden = state.target !== "soft";
        if (!show) continue;
        rows[i].probBar.style.width = (100 * r.probs[i]).toFixed(2) + "%";
        setOut(rows[i].probVal, r.probs[i], 4);
        setOut(rows[i].tVal, t[i], 3);
        const g = r.grad[i];
        const half = 50 * Math.min(Math.abs(g) / gmax, 1);
        rows[i].gradBar.style.width = half.toFixed(2) + "%";
        rows[i].gradBar.style.left = (g < 0 ? 50 - half : 50).toFixed(2) + "%";
        rows[i].gradBar.setAttribute("data-sign", g < 0 ? "negative" : "positive");
        setOut(rows[i].gradVal, g, 4);
      }
      setOut(lossOut, r.loss, 4);
      setOut(sumOut, r.gradSum, 4);
      if (Math.abs(r.gradSum) < 1e-12) sumOut.textContent = "0 (up to rounding)";
      count.textContent = state.k + " classes";
      count.setAttribute("data-value", String(state.k));
      addBtn.disabled = state.k >= MAX_K;
      removeBtn.disabled = state.k <= MIN_K;
    }

    function setK(k) {
      state.k = Math.max(MIN_K, Math.min(MAX_K, k));
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
      id: pfx + "-z", control: "logit", label: "Logit z", min: -10, max: 10, step: 0.1,
      value: -4, onChange: update, onCommit: commit,
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

    root.appendChild(el("div", { class: "ce-x-settings" }, [
      el("div", { class: "ce-x-setting" }, [
        el("label", { for: logit.range.id, text: "Logit z" }), logit.range, logit.num,
      ]),
      labels,
    ]));
    root.appendChild(el("p", { class: "ce-x-totals" }, [
      el("span", { text: "\u03c3(z) = " }), o.sigma,
    ]));
    root.appendChild(table);
    root.appendChild(el("p", { class: "ce-x-note", text:
      "Both gradient bars share one scale, from \u22121 to 1. Push z far to the wrong side: " +
      "the cross-entropy gradient stays large, the squared-error gradient fades away." }));
    root.appendChild(live);

    let last = null;
    function commit() {
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
      const r = binaryExplorer(logit.get(), state.label);
      last = r;
      root.setAttribute("data-label", String(state.label));
      setOut(o.sigma, r.sigma, 4);
      setOut(o.bce, r.bce, 4);
      setOut(o.bceGrad, r.bceGrad, 4);
      setOut(o.mse, r.mse, 4);
      setOut(o.mseGrad, r.mseGrad, 4);
      bar(bceBar, r.bceGrad);
      bar(mseBar, r.mseGrad);
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
