"""The model's equations as LaTeX, generated from the model itself (for the docs).

Each module's rate laws are shown as written in the module, with the quantities it reads
as symbols, followed by the definitions of those quantities, the derived parameters, the
observables and a table of parameter values with units and sources. Given the hypotheses
that set parameters, the page lists them and marks each parameter they set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy as sp

from cartsim.model.declarations import Module
from cartsim.model.expressions import parse, symbol
from cartsim.model.hypothesis import Hypothesis
from cartsim.model.model import Model

__all__ = ["latex", "model_markdown"]


def _name(name: str) -> str:
    return r"\mathrm{" + name.replace("_", r"\_") + "}"


def latex(expr: sp.Expr) -> str:
    """LaTeX of an expression, with model names printed whole (``\\mathrm{cart\\_effector}``)."""
    names = {s: _name(s.name) for s in expr.free_symbols}
    return sp.latex(expr, symbol_names=names, mul_symbol="dot")


def _module_expr(module: Module, text: str) -> sp.Expr:
    allowed = [s.name for s in module.states] + [p.name for p in module.parameters] + [d.name for d in module.derived]
    allowed += [q.name for q in module.provides] + [q.name for q in module.reads]
    expr, _ = parse(text, {n: symbol(n) for n in allowed})
    return expr


def _hypothesis_values(hypotheses: Sequence[Hypothesis]) -> dict[str, list[str]]:
    """For each parameter a hypothesis sets: ``"`name` value"`` per hypothesis."""
    out: dict[str, list[str]] = {}
    for h in hypotheses:
        for c in h.changes:
            if c.value is not None:
                out.setdefault(c.name, []).append(f"`{h.name}` {c.value:g}")
    return out


def _hypotheses_section(model: Model, hypotheses: Sequence[Hypothesis]) -> list[str]:
    shown = [h for h in hypotheses if all(c.name in model.parameter_names for c in h.changes)]
    if not shown:
        return []
    lines = [
        "## Hypotheses",
        "",
        "Open questions the model represents as parameters; each answer is a named hypothesis that scenarios and "
        "targets can run side by side (the default value of each parameter is one of the answers).",
        "",
        "| hypothesis | what it says | sets | evidence |",
        "|---|---|---|---|",
    ]
    for h in shown:
        sets = ", ".join(f"`{c.name}` = {c.value:g}" if c.value is not None else f"`{c.name}`" for c in h.changes)
        lines.append(f"| `{h.name}` | {h.description} | {sets} | {h.source} |")
    return [*lines, ""]


def _module_section(model: Model, module: Module, hypothesis_values: Mapping[str, list[str]]) -> list[str]:
    lines = [f"## `{module.name}`", "", module.description + ".", ""]
    if module.references:
        lines += ["Structure from: " + ", ".join(module.references) + ".", ""]
    if module.states:
        lines += ["| state | unit | initial value | meaning |", "|---|---|---|---|"]
        lines += [f"| `{s.name}` | {s.unit} | `{s.initial}` | {s.description} |" for s in module.states]
        lines.append("")
        lines.append("$$")
        lines.append(r"\begin{aligned}")
        rates = module.rate_map
        for s in module.states:
            lines.append(rf"\frac{{d\,{_name(s.name)}}}{{dt}} &= {latex(_module_expr(module, rates[s.name]))} \\")
        lines.append(r"\end{aligned}")
        lines.append("$$")
        lines.append("")
    groups = (("Provided quantities", module.provides), ("Derived parameters", module.derived), ("Observables", module.observables))
    for title, items in groups:
        if items:
            lines += [f"{title}:", "", "$$", r"\begin{aligned}"]
            lines += [rf"{_name(q.name)} &= {latex(_module_expr(module, q.expr))} && [{q.unit}] \\" for q in items]
            lines += [r"\end{aligned}", "$$", ""]
    if module.doses:
        lines += ["Dose routes: " + "; ".join(f"`{r.name}` ({r.unit}) into `{r.state}`, scaled by `{r.scale}`" for r in module.doses), ""]
    if module.reads:
        lines += ["Reads: " + ", ".join(f"`{q.name}` [{q.unit}]" for q in module.reads), ""]
    names = {p.name for p in module.parameters}
    rows = [p for p in model.parameters if p.name in names]
    lines += ["| parameter | value | unit | variability (omega) | source |", "|---|---|---|---|---|"]
    for p in rows:
        omega = f"{p.variability.omega:.3g}" if p.variability else "-"
        named = f" (hypotheses: {', '.join(hypothesis_values[p.name])})" if p.name in hypothesis_values else ""
        lines.append(f"| `{p.name}` | {p.value:.6g} | {p.unit} | {omega} | {p.source}{named} |")
    lines.append("")
    return lines


def model_markdown(model: Model, hypotheses: Sequence[Hypothesis] = ()) -> str:
    """A Markdown page with every module's equations and parameters, and the ``hypotheses`` that set them."""
    lines = [
        f"# Model equations: `{model.name}`",
        "",
        f"Generated from the model itself by `cartsim equations` (model hash `{model.hash}`); do not edit by hand.",
        f"{len(model.states)} states, {len(model.parameters)} parameters, {len(model.derived)} derived parameters.",
        "Time is in days; cell pools in cells per microlitre of blood (tissue pools: amount / blood volume);",
        "drug amounts in mg, concentrations in mg/L (= ug/mL).",
        "",
    ]
    lines += _hypotheses_section(model, hypotheses)
    values = _hypothesis_values(hypotheses)
    for module in model.modules:
        lines += _module_section(model, module, values)
    return "\n".join(lines)
