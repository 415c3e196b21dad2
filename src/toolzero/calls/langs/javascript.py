"""BFCL's JavaScript decoder (``model_handler/parser/js_parser.py``, tree-sitter-javascript), mirrored.

Every argument value is its source text as written (a string literal loses its quotes).  The
first statement that is a call is kept; positional arguments other than bare names are dropped,
and a repeated argument name is an error.
"""

from __future__ import annotations

from typing import Any

from toolzero.calls.langs.lexer import IDENT, LVALUE, LangSyntaxError, Parser
from toolzero.schema import ToolCall

# Names that tree-sitter-javascript reads as their own node types, not as identifiers.
_JS_NOT_IDENTIFIERS = frozenset({"false", "null", "undefined", "this", "super"})


class JsParser(Parser):
    """Spans only: BFCL's JavaScript decoder takes each value's source text as written."""

    def __init__(self, src: str):
        super().__init__(src, js=True)

    def expr(self, comma: bool = False) -> tuple[int, int, str, Any]:
        """An expression: (start, end, kind, extra); kind "call" carries (callee_span, args)."""
        node = self.assign()
        if comma:
            while self.at(","):
                self.take()
                last = self.assign()
                node = (node[0], last[1], "seq", None)
        return node

    def assign(self) -> tuple[int, int, str, Any]:
        self.guard()
        try:
            start = self.tok.start
            if self.arrow_ahead():
                return self.arrow()
            lhs = self.ternary()
            op = self.binop()
            if op in self.ASSIGN:
                self.take_op(op)
                rhs = self.assign()
                return (start, rhs[1], "assign" if op == "=" else "augmented", (lhs, rhs))
            return lhs
        finally:
            self.depth -= 1

    def arrow_ahead(self) -> bool:
        save = (self.lex.pos, self.lex.tok, self.last_end)
        try:
            if self.at("async"):
                rest = self.src[self._after_space(self.tok.end):]
                if rest.startswith("(") or IDENT.match(rest):
                    self.take()
            if self.tok.kind == "name" and self.tok.text not in ("function", "new", "typeof", "void", "delete", "await"):
                self.take()
                return self.at("=>") and not self.tok.nl
            if self.at("("):
                self.skip_balanced("(", ")")
                return self.at("=>") and not self.tok.nl
            return False
        except LangSyntaxError:
            return False
        finally:
            self.lex.pos, self.lex.tok, self.last_end = save

    def _after_space(self, i: int) -> int:
        while i < len(self.src) and self.src[i] in " \t":
            i += 1
        return i

    def arrow(self) -> tuple[int, int, str, Any]:
        start = self.tok.start
        if self.at("async"):
            self.take()
        if self.at("("):
            self.params()
        else:
            self.take()
        self.expect("=>")
        if self.at("{"):
            self.skip_balanced("{", "}")
        else:
            self.assign()
        return (start, self.last_end, "arrow", None)

    def params(self) -> None:
        self.expect("(")
        while not self.at(")"):
            if self.at("..."):
                self.take()
            if self.at("[", "{"):
                self.skip_balanced(self.tok.text, "]" if self.tok.text == "[" else "}")
            elif self.tok.kind == "name":
                self.take()
            else:
                raise LangSyntaxError("bad parameter")
            if self.at("="):
                self.take()
                self.assign()
            if not self.at(","):
                break
            self.take()
        self.expect(")")

    def ternary(self) -> tuple[int, int, str, Any]:
        cond = self.binary(0)
        if not self.at("?"):
            return cond
        self.take()
        self.assign()
        self.expect(":")
        end = self.assign()
        return (cond[0], end[1], "seq", None)

    def binary(self, min_prec: int) -> tuple[int, int, str, Any]:
        left = self.unary()
        while True:
            op = self.binop()
            if op is None or op in self.ASSIGN or self.PREC[op] < min_prec:
                return left
            self.take_op(op)
            right = self.binary(self.PREC[op] + (0 if op == "**" else 1))
            left = (left[0], right[1], "seq", None)

    def unary(self) -> tuple[int, int, str, Any]:
        self.guard()
        try:
            if self.at("+", "-", "!", "~", "++", "--", "typeof", "void", "delete", "await"):
                start = self.take().start
                operand = self.unary()
                return (start, operand[1], "seq", None)
            return self.postfix()
        finally:
            self.depth -= 1

    def args(self) -> list[tuple[int, int, str, Any]]:
        self.expect("(")
        out = []
        while not self.at(")"):
            if self.at(","):  # an empty argument: tree-sitter-javascript reads "f(a,, b)" without an error
                self.take()
                continue
            if self.at("..."):
                start = self.take().start
                inner = self.assign()
                out.append((start, inner[1], "spread", None))
            else:
                out.append(self.assign())
            if not self.at(","):
                break
            self.take()
        self.expect(")")
        return out

    def postfix(self) -> tuple[int, int, str, Any]:
        node = self.primary()
        start = node[0]
        while True:
            if self.at(".", "?."):
                optional = self.take().text == "?."
                if optional and self.at("("):
                    args = self.args()
                    node = (start, self.last_end, "call", ((start, node[1]), args))
                elif optional and self.at("["):
                    self.skip_balanced("[", "]")
                    node = (start, self.last_end, "seq", None)
                elif self.tok.kind == "name" or self.at("#"):
                    if self.at("#"):
                        self.take()
                    if self.tok.kind != "name":
                        raise LangSyntaxError("expected a property name")
                    self.take()
                    node = (start, self.last_end, "seq", None)
                else:
                    raise LangSyntaxError(f"unexpected {self.tok.text!r} after '.'")
            elif self.at("["):
                self.take()
                self.expr(comma=True)
                self.expect("]")
                node = (start, self.last_end, "seq", None)
            elif self.at("("):
                callee = (start, node[1])
                args = self.args()
                node = (start, self.last_end, "call", (callee, args))
            elif self.tok.kind == "tmpl":
                self.take()
                node = (start, self.last_end, "seq", None)
            elif self.at("++", "--") and not self.tok.nl:
                self.take()
                node = (start, self.last_end, "seq", None)
            else:
                return node

    def primary(self) -> tuple[int, int, str, Any]:
        t = self.tok
        if t.kind in ("str", "num", "tmpl"):
            self.take()
            return (t.start, t.end, t.kind, None)
        if t.kind == "op" and t.text in ("/", "/="):
            r = self.lex.regex()
            self.last_end = r.end
            return (r.start, r.end, "regex", None)
        if t.kind == "name":
            if t.text == "new":
                self.take()
                if self.at("."):  # new.target
                    self.take()
                    self.take()
                    return (t.start, self.last_end, "seq", None)
                callee = self.member_only()
                if self.at("("):
                    self.args()
                return (t.start, max(callee[1], self.last_end), "seq", None)
            if t.text in ("function", "async") and (t.text == "function" or self._is_async_function()):
                if t.text == "async":
                    self.take()
                self.take()
                if self.at("*"):
                    self.take()
                if self.tok.kind == "name":
                    self.take()
                self.params()
                self.skip_balanced("{", "}")
                return (t.start, self.last_end, "function", None)
            if t.text in ("class", "const", "var", "if", "for", "while", "return", "throw", "try", "switch",
                          "import", "export", "break", "continue", "do", "else", "case", "default", "catch", "finally"):
                raise LangSyntaxError(f"unexpected keyword {t.text!r}")
            self.take()
            return (t.start, t.end, "true" if t.text == "true" else "name", None)
        if self.at("("):
            self.take()
            self.expr(comma=True)
            self.expect(")")
            return (t.start, self.last_end, "seq", None)
        if self.at("["):
            self.take()
            while not self.at("]"):
                if self.at(","):
                    self.take()
                    continue
                if self.at("..."):
                    self.take()
                self.assign()
                if not self.at(","):
                    break
                self.take()
            self.expect("]")
            return (t.start, self.last_end, "array", None)
        if self.at("{"):
            self.object_()
            return (t.start, self.last_end, "object", None)
        raise LangSyntaxError(f"unexpected {t.text!r}")

    def _is_async_function(self) -> bool:
        return self.src[self._after_space(self.tok.end):].startswith("function")

    def member_only(self) -> tuple[int, int, str, Any]:
        """The callee of ``new``: a primary with member accesses but no call."""
        node = self.primary()
        while self.at(".") or self.at("["):
            if self.at("."):
                self.take()
                if self.tok.kind != "name":
                    raise LangSyntaxError("expected a property name")
                self.take()
            else:
                self.skip_balanced("[", "]")
            node = (node[0], self.last_end, "seq", None)
        return node

    def object_(self) -> None:
        self.expect("{")
        while not self.at("}"):
            if self.at("..."):
                self.take()
                self.assign()
            else:
                if self.at("get", "set", "async") and not self._next_is(":", ",", "(", "}"):
                    self.take()
                if self.at("*"):
                    self.take()
                if self.at("["):
                    self.skip_balanced("[", "]")
                    key_is_name = False
                elif self.tok.kind in ("name", "str", "num"):
                    key_is_name = self.tok.kind == "name"
                    self.take()
                else:
                    raise LangSyntaxError(f"bad object key {self.tok.text!r}")
                if self.at(":"):
                    self.take()
                    self.assign()
                elif self.at("("):
                    self.params()
                    self.skip_balanced("{", "}")
                elif self.at("="):  # shorthand with default: only valid in patterns; tree-sitter reads it
                    self.take()
                    self.assign()
                elif not key_is_name:
                    raise LangSyntaxError("object property without a value")
            if not self.at(","):
                break
            self.take()
        self.expect("}")

    def _next_is(self, *texts: str) -> bool:
        rest = self.src[self._after_space(self.tok.end):].lstrip()
        return any(rest.startswith(t) for t in texts)

    def program(self) -> ToolCall | None:
        """``parse_javascript_function_call``: the first statement that is a call; None if none."""
        found: ToolCall | None = None
        while self.tok.kind != "eof":
            if self.at(";"):
                self.take()
                continue
            node = self.expr(comma=True)
            if not (self.at(";") or self.tok.kind == "eof" or self.tok.nl or self.at("}")):
                raise LangSyntaxError(f"unexpected {self.tok.text!r}")
            if found is None and node[2] == "call":
                found = self.call_of(node)
            if self.at(";"):
                self.take()
        return found

    def call_of(self, node: tuple) -> ToolCall:
        (cs, ce), args = node[3]
        out: dict[Any, Any] = {}
        for a in args:
            if a[2] == "assign" and LVALUE.fullmatch(self.src[a[3][0][0]:a[3][0][1]]):
                lhs, rhs = a[3]
                key, value = self.src[lhs[0]:lhs[1]], self.src[rhs[0]:rhs[1]]
                if (value.startswith('"') and value.endswith('"')) or (value.startswith("'") and value.endswith("'")):
                    value = value[1:-1]
            elif a[2] == "true" or (a[2] == "name" and self.src[a[0]:a[1]] not in _JS_NOT_IDENTIFIERS):
                key, value = None, self.src[a[0]:a[1]]
            else:
                continue  # other positional arguments: BFCL's decoder drops them
            if key in out:
                raise LangSyntaxError("Multiple arguments with the same name are not supported.")
            out[key] = value
        return ToolCall(self.src[cs:ce], out)
