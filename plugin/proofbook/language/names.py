"""The names the expression language reserves, kept free of SymPy so the loader can refuse
symbols that would shadow them."""

from __future__ import annotations

import keyword

#: Constants: pi and Euler's number; ``oo`` (infinity) only as a bound or a limit point.
CONSTANTS = ("pi", "E", "oo")

#: Elementary scalar functions, applied entrywise to nothing: their argument is a scalar.
ELEMENTARY = ("log", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "atan", "abs")

#: Every function the language knows, with the argument counts it accepts (for messages).
FUNCTIONS: dict[str, str] = {
    **{name: "1" for name in ELEMENTARY},
    "sqrt": "1", "trace": "1", "det": "1", "inv": "1", "transpose": "1", "eye": "1",
    "zeros": "2", "diff": "2 or 3", "diff_sym": "2", "integrate": "2 or 4", "sum": "4",
    "limit": "3", "limit_left": "3", "limit_right": "3", "factorial": "1", "binomial": "2",
    "kron": "2", "vec": "1", "hadamard": "2", "adj": "1",
}


def reserved(name: str) -> str | None:
    """Why ``name`` cannot be a symbol, or None when it can."""
    if name in CONSTANTS:
        return f"'{name}' is the constant {dict(pi='π', E='e', oo='∞')[name]}"
    if name in FUNCTIONS:
        return f"'{name}' is a function of the expression language"
    if keyword.iskeyword(name) or name == "T":
        return f"'{name}' is a reserved word" if name != "T" else "'T' stands for the transpose"
    return None
