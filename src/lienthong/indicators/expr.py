"""Indicator expressions: arithmetic over data elements and indicators, evaluated on arrays.

The grammar is a safe subset of Python's: numbers, codes (``[A-Za-z_][A-Za-z0-9_]*``),
``+ - * /``, parentheses and the functions ``first(a, b, ...)`` (the first value present),
``sum(a, b, ...)`` (missing counts as 0; missing if all are), ``min`` and ``max``.
A missing value (NaN) makes the whole arithmetic missing, as in DHIS2's "skip".

>>> e = parse("(A + B) / 2")
>>> sorted(e.refs)
['A', 'B']
>>> import numpy as np
>>> e.evaluate({"A": np.array([1.0, 3.0]), "B": np.array([3.0, np.nan])}).tolist()
[2.0, nan]
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lienthong.core.errors import ValidationFailed

Array = npt.NDArray[np.float64]
FUNCTIONS = ("first", "sum", "min", "max")
_OPS: dict[type[ast.operator], Callable[[Array, Array], Array]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: lambda a, b: _divide(a, b),
}


def _divide(a: Array, b: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.divide(a, b)
    # x / 0 has no value: it is missing, not infinite
    return np.where(np.isfinite(out), out, np.nan)


class ExpressionError(ValidationFailed):
    """An expression that cannot be parsed or can never be computed."""


@dataclass(frozen=True)
class Expr:
    text: str
    tree: ast.expr

    @property
    def refs(self) -> frozenset[str]:
        return frozenset(
            n.id for n in ast.walk(self.tree) if isinstance(n, ast.Name) and n.id not in FUNCTIONS
        )

    def evaluate(self, values: Mapping[str, Array], size: int | None = None) -> Array:
        """The expression over aligned arrays; a code absent from `values` is missing."""
        n = size if size is not None else len(next(iter(values.values()), np.empty(0)))
        return _eval(self.tree, values, n)

    def constant(self) -> float | None:
        """The value if it does not depend on any code (used to find a division by zero)."""
        if self.refs:
            return _constant_zero_product(self.tree)
        return float(_eval(self.tree, {}, 1)[0])

    def divisions(self) -> list[Expr]:
        """Every divisor inside the expression, as expressions."""
        return [
            Expr(ast.unparse(n.right), n.right)
            for n in ast.walk(self.tree)
            if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div)
        ]


def _constant_zero_product(tree: ast.expr) -> float | None:
    """0 when the expression is a product with a literal zero factor (``A * 0``)."""
    if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Mult):
        for side in (tree.left, tree.right):
            if isinstance(side, ast.Constant) and side.value == 0:
                return 0.0
    same = isinstance(tree, ast.BinOp) and ast.dump(tree.left) == ast.dump(tree.right)
    if same and isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Sub):
        return 0.0  # A - A
    return None


def parse(text: str | float | int) -> Expr:
    """Parse an expression, or raise ExpressionError naming what is wrong."""
    source = str(text).strip()
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError as exc:
        raise _error(source, f"is not an expression ({exc.msg})") from None
    for node in ast.walk(tree):
        _check_node(source, node)
    return Expr(source, tree)


def _check_node(source: str, node: ast.AST) -> None:
    allowed = (ast.BinOp, ast.UnaryOp, ast.Name, ast.Load, ast.Call, ast.Constant)
    allowed_ops = (*_OPS, ast.USub, ast.UAdd)
    if isinstance(node, ast.operator | ast.unaryop):
        if not isinstance(node, allowed_ops):
            raise _error(source, f"uses an operator that is not allowed ({type(node).__name__})")
        return
    if not isinstance(node, allowed):
        raise _error(source, f"uses {type(node).__name__}, which is not allowed")
    if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
        raise _error(source, f"has a constant that is not a number: {node.value!r}")
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name not in FUNCTIONS or node.keywords or not node.args:
            raise _error(source, f"calls {ast.unparse(node.func)}: use one of {FUNCTIONS}")


def _error(source: str, message: str) -> ExpressionError:
    text = f"expression {source!r} {message}"
    return ExpressionError(text, errors={"expression": [text]})


def _eval(node: ast.expr, values: Mapping[str, Array], n: int) -> Array:
    if isinstance(node, ast.Constant):
        return np.full(n, float(node.value))  # type: ignore[arg-type]  # checked: a number
    if isinstance(node, ast.Name):
        found = values.get(node.id)
        return np.full(n, np.nan) if found is None else found
    if isinstance(node, ast.UnaryOp):
        inner = _eval(node.operand, values, n)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        op = _OPS[type(node.op)]
        return op(_eval(node.left, values, n), _eval(node.right, values, n))
    assert isinstance(node, ast.Call)
    assert isinstance(node.func, ast.Name)
    args = [_eval(a, values, n) for a in node.args]
    return _call(node.func.id, args)


def _call(name: str, args: list[Array]) -> Array:
    stacked = np.vstack(args)
    present = ~np.isnan(stacked)
    if name == "first":
        idx = np.argmax(present, axis=0)
        return np.where(present.any(axis=0), stacked[idx, np.arange(stacked.shape[1])], np.nan)
    if name == "sum":
        return np.where(present.any(axis=0), np.nansum(stacked, axis=0), np.nan)
    reduce = np.min if name == "min" else np.max
    result: Array = reduce(stacked, axis=0)  # NaN if any is missing
    return result
