"""Figures of chapter 5, gradient intuition: the forces p - t, softmax nudges, and the learning
slowdown of a sigmoid neuron. Every number is computed with ce_book."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ce_book import distillation, gradients, training
from ce_book.activations import sigmoid, softmax
from ce_book.figures import figure
from ce_book.figures.style import COLORS, SIZE, new_figure

NUDGE_Z = np.array([2.5, -1.0, 3.2, 0.5])
NUDGE = 0.4
STARTS = {"bad": (2.0, 2.0), "mild": (0.6, 0.9)}
LOSS_STYLE = {
    "squared_error": ("squared error $(p - t)^2$", COLORS["blue"], "-"),
    "cross_entropy": ("cross-entropy", COLORS["vermillion"], "--"),
}
TALL = (SIZE[0], 5.6)  # two panels stacked, readable at phone width


@figure(
    "gradients-forces",
    alt="Bar chart for four classes with logits 2.5, -1, 3.2 and 0.5, class 1 being the true "
    "class. Light bars show the predicted probabilities; dark bars show the gradient p - t: a "
    "large negative bar for class 1, as deep as the probability it is missing, and positive "
    "bars for the other classes, each as tall as its own probability. Arrows say that "
    "gradient descent, moving against the gradient, raises z1 and lowers z3. The negative bar "
    "balances the three positive ones.",
    caption="The gradient $p - t$ on the logits $z = (2.5, -1, 3.2, 0.5)$ when class 1 is "
    "true (dark bars; light bars: the probabilities $p_i$). Gradient descent moves each logit "
    "against its bar: $z_1$ is pulled up by $1 - p_1$, every other logit is pushed down by its "
    "own probability, and the bars sum to zero.",
)
def gradients_forces() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    p = softmax(NUDGE_Z)
    grad = gradients.cross_entropy_grad(NUDGE_Z, 0, reduction="sum")
    x = np.arange(len(p))
    ax.bar(x - 0.2, p, width=0.4, color=COLORS["sky"], label="probability $p_i$")
    ax.bar(x + 0.2, grad, width=0.4, color=COLORS["blue"], label="gradient $p_i - t_i$", hatch="//")
    ax.axhline(0, color=COLORS["black"], linewidth=0.8)
    ax.annotate(
        "", xy=(0.45, -0.1), xytext=(0.45, -0.6), arrowprops={"arrowstyle": "->", "lw": 1.2}
    )
    ax.text(0.55, -0.35, "descent raises $z_1$:\npull $1 - p_1$", ha="left", va="center")
    ax.annotate("", xy=(2.48, 0.1), xytext=(2.48, 0.6), arrowprops={"arrowstyle": "->", "lw": 1.2})
    ax.text(2.56, 0.35, "descent lowers $z_3$:\npush $p_3$", ha="left", va="center")
    ax.set_xticks(x, ["class 1\n(true)", "class 2", "class 3", "class 4"])
    ax.set_ylabel("probability $p_i$ / gradient $p_i - t_i$")
    ax.set_ylim(-0.85, 0.85)
    ax.legend(loc="upper left")
    return fig


@figure(
    "gradients-softmax-nudges",
    alt="Grouped bar chart. For each of four nudges of size 0.4 (raise z1, lower z2, lower z3, "
    "lower z4) it shows how the four softmax outputs change. Raising z1 and lowering z3 both "
    "raise p1 by a similar, large amount, raising z1 a little more; lowering z2 or z4 barely "
    "changes anything. In every group the changes sum to zero.",
    caption="How one nudge of size $0.4$ moves all four softmax outputs $p_i$ "
    "for $z = (2.5, -1, 3.2, 0.5)$. Every nudge that raises $p_1$ takes the probability from the "
    "other outputs; lowering a logit frees at most the probability its class holds, so "
    "lowering $z_2$ or $z_4$ does almost nothing. The nudges are in class order here; the "
    "table in the text sorts them by how much they raise $p_1$.",
)
def gradients_softmax_nudges() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    base = softmax(NUDGE_Z)
    nudges = [(0, NUDGE, "raise $z_1$"), (1, -NUDGE, "lower $z_2$")]
    nudges += [(2, -NUDGE, "lower $z_3$"), (3, -NUDGE, "lower $z_4$")]
    colors = [COLORS["vermillion"], COLORS["green"], COLORS["blue"], COLORS["orange"]]
    hatches = ["", "..", "//", "xx"]
    width = 0.2
    for k, (j, delta, _) in enumerate(nudges):
        z = NUDGE_Z.copy()
        z[j] += delta
        change = softmax(z) - base
        for i in range(4):
            ax.bar(
                k + (i - 1.5) * width,
                change[i],
                width=width,
                color=colors[i],
                hatch=hatches[i],
                edgecolor="white",
                label=f"change in $p_{i + 1}$" if k == 0 else None,
            )
    ax.axhline(0, color=COLORS["black"], linewidth=0.8)
    ax.set_xticks(range(len(nudges)), [text for _, _, text in nudges])
    ax.set_xlabel("nudge of size 0.4")
    ax.set_ylabel("change in the output")
    ax.set_ylim(-0.11, 0.11)
    fig.legend(loc="outside upper center", ncols=4, columnspacing=0.8, handlelength=1.2)
    return fig


@figure(
    "gradients-slowdown-gradient",
    alt="Two curves of the size of the gradient with respect to z, for a sigmoid neuron whose "
    "target is 0, against z from -6 to 8. The cross-entropy gradient sigma(z) rises steadily "
    "towards 1 as the output becomes more wrong. The squared-error gradient rises to a small "
    "hump near z = 0.7 (output 2/3) and then falls back towards 0 as the neuron becomes more "
    "wrong. Markers "
    "show the mild start z = 1.5 and the bad start z = 4.",
    caption="Size of $\\partial L / \\partial z$ for a neuron that should output $t = 0$. The "
    "cross-entropy gradient $\\sigma(z)$ grows with the mistake; the squared-error gradient "
    "$2\\sigma(z)^2(1 - \\sigma(z))$ is choked by the factor $\\sigma'(z)$ and, once the "
    "output passes 2/3, shrinks as the mistake grows. The markers are Nielsen's two starts.",
)
def gradients_slowdown_gradient() -> Figure:
    fig = new_figure()
    ax = fig.add_subplot()
    z = np.linspace(-6, 8, 561)
    y = np.zeros_like(z)
    for loss, (label, color, style) in LOSS_STYLE.items():
        ax.plot(z, training.neuron_loss_grad(z, y, loss), color=color, linestyle=style, label=label)
        for name, (w, b) in STARTS.items():
            z0 = w + b
            g0 = float(training.neuron_loss_grad(z0, 0.0, loss))
            ax.plot([z0], [g0], "o", color=color)
            if loss == "squared_error":
                # beside its own marker: above the mild start the curve's hump is in the way
                beside = name == "mild"
                ax.annotate(
                    f"{name} start",
                    (z0, g0),
                    xytext=(7, 2) if beside else (0, 10),
                    textcoords="offset points",
                    ha="left" if beside else "center",
                    va="bottom",
                )
    ax.set_xlabel("logit $z = w + b$ (the neuron's output is $\\sigma(z)$; the target is 0)")
    ax.set_ylabel("$\\partial L / \\partial z$ (target $t = 0$)")
    ax.set_xlim(-6, 8)
    ax.set_ylim(0, 1.05)
    ax.legend(loc="center left")
    return fig


@figure(
    "gradients-loss-curves",
    alt="Two panels of the neuron's output against the training epoch, 0 to 300, for a sigmoid "
    "neuron with target 0 trained by gradient descent with learning rate 0.15; a dotted line "
    "marks the output 1/2. Top, the bad start w = b = 2: with squared error the output stays "
    "above 0.93 for about 75 epochs, reaches the mild start's output 0.82 at epoch 99 and "
    "crosses 1/2 only at epoch 117, while with cross-entropy it reaches 0.82 at epoch 9 and "
    "falls steeply. Bottom, the mild start w = 0.6, b = 0.9: both outputs fall from the first "
    "epoch.",
    caption="The output of Nielsen's neuron during training (input 1, target 0, learning rate "
    "0.15), from the bad start $w = b = 2$ (top) and the mild start $w = 0.6$, $b = 0.9$ "
    "(bottom). Dots mark the first epoch at which the output falls below $1/2$ (dotted). In "
    "the top panel, squares mark where the bad start reaches the mild start's initial output "
    "(dash-dotted); from there on it replays the mild start's run, to within an epoch. Only "
    "the squared error, and only from the bad start, has the long flat beginning.",
)
def gradients_loss_curves() -> Figure:
    fig = new_figure(TALL)
    axes = fig.subplots(2, 1, sharex=True)
    mild_output = float(sigmoid(sum(STARTS["mild"])))
    for ax, (name, (w, b)) in zip(axes, STARTS.items(), strict=True):
        ax.axhline(0.5, color=COLORS["black"], linestyle=":", linewidth=1.0)
        if name == "bad":
            ax.axhline(mild_output, color=COLORS["black"], linestyle="-.", linewidth=0.8)
        for loss, (label, color, style) in LOSS_STYLE.items():
            run = training.train(w, b, loss=loss)
            epochs = np.arange(run.output.size)
            ax.plot(epochs, run.output, color=color, linestyle=style, label=label)
            k = run.first_epoch_below(float(training.neuron_loss(0.0, 0.0, loss)))
            ax.plot([k], [run.output[k]], "o", color=color)
            if name == "bad":
                c = int(np.flatnonzero(run.output < mild_output)[0])
                ax.plot([c], [run.output[c]], "s", color=color)
        ax.set_ylabel("output $p$")
        ax.set_ylim(0, 1)
        ax.set_xlim(0, epochs[-1])
        ax.text(
            0.97,
            0.95,
            f"{name} start: $w = {w:g}$, $b = {b:g}$",
            transform=ax.transAxes,
            ha="right",
            va="top",
        )
    axes[1].set_xlabel("epoch")
    axes[1].legend(loc="center right")
    return fig


@figure(
    "distillation-gradient-scale",
    alt="Log-log plot of the length of the soft-target gradient against the temperature T "
    "from 1 to 100, for a student and a teacher with four classes. The gradient of the plain "
    "cross-entropy, (p - t)/T, falls steeply, like 1/T squared, from about 0.85 to below "
    "0.001. The gradient of the loss multiplied by T squared, T(p - t), starts at the same "
    "value, rises to a hump of about 0.99 near T = 2, and then levels off near 0.67, a dotted "
    "horizontal line marking its limit.",
    caption="Why Hinton et al. multiply the soft-target loss by $T^2$. For the student "
    "logits $z = (2.5, -1, 3.2, 0.5)$ and the teacher logits $v = (5, -1, 2, 1)$: the length "
    "of the gradient of $H(t, p)$ alone (dashed) and of $T^2 H(t, p)$ (solid), against the "
    "temperature; the dotted line is the limit of the scaled gradient.",
)
def distillation_gradient_scale() -> Figure:
    teacher = np.array([5.0, -1.0, 2.0, 1.0])
    temps = np.geomspace(1, 100, 121)
    lengths = {
        scaled: [
            float(
                np.linalg.norm(
                    distillation.soft_target_loss_grad(
                        NUDGE_Z, teacher, t, scaled=scaled, reduction="sum"
                    )
                )
            )
            for t in temps
        ]
        for scaled in (True, False)
    }
    limit = float(
        np.linalg.norm(((NUDGE_Z - NUDGE_Z.mean()) - (teacher - teacher.mean())) / NUDGE_Z.size)
    )
    fig = new_figure()
    ax = fig.add_subplot()
    ax.loglog(temps, lengths[True], color=COLORS["vermillion"], label="$T^2 H(t, p)$: $T(p - t)$")
    ax.loglog(
        temps,
        lengths[False],
        color=COLORS["blue"],
        linestyle="--",
        label="$H(t, p)$ alone: $(p - t)/T$",
    )
    ax.axhline(limit, color=COLORS["black"], linestyle=":", linewidth=1.2)
    ax.set_xlabel("temperature $T$")
    ax.set_ylabel("length of the gradient")
    ax.set_xlim(1, 100)
    ax.legend(loc="lower left")
    return fig


@figure(
    "gradients-one-logit",
    alt="Two panels against the true logit z1, swept from -6 to 10 while the other logits of "
    "the running example stay at -1, 3.2 and 0.5. Top: the loss -log p1. Far to the left it "
    "is a straight line falling with slope -1; to the right of the largest other logit it "
    "bends and flattens towards 0 without reaching it. Bottom: the gradient component "
    "p1 - 1. It sits near -1 while z1 is well below the other logits, rises through the "
    "region where z1 overtakes them, and approaches 0 exponentially fast from below. A dot "
    "on each curve marks the running example, z1 = 2.5.",
    caption="Cross-entropy along one logit: the loss $-\\log p_1$ (top) and its gradient "
    "$p_1 - 1$ (bottom) as $z_1$ sweeps while the other logits of the running example stay "
    "fixed; the dot is $z_1 = 2.5$. When the model is badly wrong ($z_1$ far below the "
    "other logits) the loss is nearly a straight line of slope $-1$ and the pull is nearly 1, "
    "its largest possible size; as $z_1$ overtakes the others the pull falls, and once the "
    "model is right by a margin the loss flattens exponentially and the pull falls towards 0, "
    "without ever reaching it.",
)
def gradients_one_logit() -> Figure:
    fig = new_figure(TALL)
    axes = fig.subplots(2, 1, sharex=True)
    z1 = np.linspace(-6, 10, 641)
    logits = np.tile(NUDGE_Z, (z1.size, 1))
    logits[:, 0] = z1
    loss, grad = gradients.cross_entropy_and_grad(logits, np.zeros(z1.size, int), reduction="none")
    loss0, grad0 = gradients.cross_entropy_and_grad(NUDGE_Z[None, :], [0], reduction="none")
    panels = [
        (axes[0], loss, float(loss0[0]), "loss $-\\log p_1$"),
        (axes[1], grad[:, 0], float(grad0[0, 0]), "gradient $p_1 - 1$"),
    ]
    for ax, values, here, label in panels:
        ax.plot(z1, values, color=COLORS["blue"])
        ax.plot([NUDGE_Z[0]], [here], "o", color=COLORS["vermillion"])
        ax.axhline(0, color=COLORS["black"], linewidth=0.8)
        ax.axvline(NUDGE_Z[1:].max(), color=COLORS["black"], linestyle=":", linewidth=1.0)
        ax.set_ylabel(label)
    axes[0].set_ylim(-0.3, 10)
    axes[0].text(3.4, 6, "largest other\nlogit, $z_3 = 3.2$", ha="left", va="center")
    axes[1].set_ylim(-1.1, 0.1)
    axes[1].set_xlabel("true logit $z_1$ (the others fixed at $-1$, $3.2$, $0.5$)")
    axes[1].set_xlim(z1[0], z1[-1])
    return fig
