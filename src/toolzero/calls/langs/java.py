"""BFCL's Java decoder (``model_handler/parser/java_parser.py``, tree-sitter-java), mirrored.

Every argument value comes out as source text, printed as BFCL's ``traverse_node`` prints it (some
expressions without spaces).  Quirks mirrored: a call without a trailing ``;`` whose text is under
11 characters fails to parse (tree-sitter's error recovery), the first method call found in the
expression is taken, positional arguments other than bare names are dropped, and a repeated
argument name is an error.
"""

from __future__ import annotations

from typing import Any

from toolzero.calls.langs.lexer import LVALUE, LangSyntaxError, Parser, Token
from toolzero.schema import ToolCall

# Java nodes: ("tok", text) | ("str", literal) | ("char", literal) | ("raw", start, end) for names,
# class literals and method calls (BFCL prints their source as written) | ("newarr", type, init) |
# ("newobj", type, args) | ("seq", children) | ("assign", lhs, op, rhs) |
# ("call", start, end, object_span or None, method_name, args).
_JAVA_PRIMITIVES = frozenset({"byte", "short", "int", "long", "float", "double", "boolean", "char", "void"})
_JAVA_UNARY_START = ("name", "num", "str", "char")


def _first_call(node: tuple) -> tuple | None:
    """The first method call in the expression, outermost first (BFCL's decoder searches the tree)."""
    kind = node[0]
    if kind == "call":
        return node
    children: list = []
    if kind == "seq":
        children = node[1]
    elif kind == "assign":
        children = [node[1], node[3]]
    elif kind == "newobj":
        children = [node[1], *node[2]]
    elif kind == "newarr":
        children = [node[1], node[2]]
    for child in children:
        found = _first_call(child)
        if found is not None:
            return found
    return None


class JavaParser(Parser):
    """A Java answer read into the nodes above; :meth:`program` gives the call BFCL's decoder finds."""

    def __init__(self, src: str):
        super().__init__(src, js=False)

    def text(self, node: tuple, nested: bool = True) -> str:
        """BFCL's ``traverse_node``: how its Java decoder prints a value."""
        kind = node[0]
        if kind in ("str", "char"):
            return node[1] if nested else node[1][1:-1]
        if kind == "tok":
            return node[1]
        if kind in ("raw", "call"):
            return self.src[node[1]:node[2]]
        if kind == "newarr":
            return f"new {self.text(node[1])}[]{self.text(node[2])}"
        if kind == "newobj":
            return f"new {self.text(node[1])}({', '.join(self.text(a) for a in node[2])})"
        if kind == "assign":
            return self.text(node[1]) + node[2] + self.text(node[3])
        return "".join(self.text(c) for c in node[1])

    def seq_of(self, toks: list[Token]) -> tuple:
        return ("seq", [("tok", t.text) for t in toks])

    def expr(self) -> tuple:
        self.guard()
        try:
            if self.lambda_ahead():
                return self.lambda_()
            lhs = self.ternary()
            op = self.binop()
            if op in self.ASSIGN:
                self.take_op(op)
                return ("assign", lhs, op, self.expr())
            return lhs
        finally:
            self.depth -= 1

    def lambda_ahead(self) -> bool:
        t = self.tok
        if t.kind == "name" and self.src.startswith("->", self._after_space(t.end)):
            return True
        if self.at("("):
            depth, i, src = 0, t.start, self.src
            for i in range(t.start, len(src)):  # find the matching ')' by characters (no strings in lambda params)
                if src[i] == "(":
                    depth += 1
                elif src[i] == ")":
                    depth -= 1
                    if depth == 0:
                        return src.startswith("->", self._after_space(i + 1))
                elif src[i] in "\"'":
                    return False
        return False

    def _after_space(self, i: int) -> int:
        while i < len(self.src) and self.src[i].isspace():
            i += 1
        return i

    def lambda_(self) -> tuple:
        params = [("tok", self.take().text)] if self.tok.kind == "name" else self.seq_of(self.skip_balanced("(", ")"))[1]
        self.expect("->")
        body = self.seq_of(self.skip_balanced("{", "}")) if self.at("{") else self.expr()
        return ("seq", [*params, ("tok", "->"), body])

    def ternary(self) -> tuple:
        cond = self.binary(0)
        if not self.at("?"):
            return cond
        self.take()
        a = self.expr()
        self.expect(":")
        b = self.expr() if self.lambda_ahead() else self.ternary()
        return ("seq", [cond, ("tok", "?"), a, ("tok", ":"), b])

    def binary(self, min_prec: int) -> tuple:
        left = self.unary()
        while True:
            op = self.binop()
            if op is None or op in self.ASSIGN or op in ("??", "===", "!==", "**", "in") or self.PREC[op] < min_prec:
                return left
            self.take_op(op)
            right = self.type_() if op == "instanceof" else self.binary(self.PREC[op] + 1)
            left = ("seq", [left, ("tok", op), right])

    def unary(self) -> tuple:
        self.guard()
        try:
            if self.at("+", "-", "!", "~", "++", "--"):
                op = self.take().text
                return ("seq", [("tok", op), self.unary()])
            if self.at("(") and self.cast_ahead():
                self.take()
                typ = self.type_()
                self.expect(")")
                return ("seq", [("tok", "("), typ, ("tok", ")"), self.unary()])
            return self.postfix()
        finally:
            self.depth -= 1

    def cast_ahead(self) -> bool:
        """``(Type) operand``: a primitive type, or a type followed by something that starts an operand."""
        save = (self.lex.pos, self.lex.tok, self.last_end)
        try:
            self.take()
            if self.tok.kind == "name" and self.tok.text in _JAVA_PRIMITIVES:
                return True
            self.type_()
            if not self.at(")"):
                return False
            self.take()
            t = self.tok
            return t.kind in _JAVA_UNARY_START and t.text not in ("instanceof",) or self.at("(", "!", "~")
        except LangSyntaxError:
            return False
        finally:
            self.lex.pos, self.lex.tok, self.last_end = save

    def type_(self, dims: bool = True) -> tuple:
        """A type: (primitive | Name(.Name)*) [<args>] ([])*, printed by concatenation."""
        parts: list[tuple] = []
        if self.tok.kind != "name":
            raise LangSyntaxError(f"expected a type, got {self.tok.text!r}")
        parts.append(("tok", self.take().text))
        while self.at("."):
            parts.append(("tok", self.take().text))
            if self.tok.kind != "name":
                raise LangSyntaxError("expected a name")
            parts.append(("tok", self.take().text))
        if self.at("<"):
            parts.extend(self.type_args())
        while dims and self.at("[") and self._next_char_is("]"):
            parts.append(("tok", self.take().text))
            parts.append(("tok", self.expect("]").text))
        return ("seq", parts)

    def _next_char_is(self, ch: str) -> bool:
        return self.src[self._after_space(self.tok.end):].startswith(ch)

    def type_args(self) -> list[tuple]:
        parts = [("tok", self.expect("<").text)]
        if not self.at(">"):
            while True:
                if self.at("?"):
                    parts.append(("tok", self.take().text))
                    if self.at("extends", "super"):
                        parts.append(("tok", self.take().text))
                        parts.append(self.type_())
                else:
                    parts.append(self.type_())
                if not self.at(","):
                    break
                parts.append(("tok", self.take().text))
        parts.append(("tok", self.expect(">").text))
        return parts

    def args(self) -> list[tuple]:
        self.expect("(")
        out = []
        if not self.at(")"):
            while True:
                out.append(self.expr())
                if not self.at(","):
                    break
                self.take()
        self.expect(")")
        return out

    def postfix(self) -> tuple:
        start = self.tok.start
        node = self.primary()
        while True:
            if self.at("."):
                obj_span = (start, self.last_end)
                self.take()
                if self.at("class"):
                    self.take()
                    node = ("raw", start, self.last_end)
                elif self.tok.kind == "name":
                    name = self.take().text
                    if self.at("("):
                        args = self.args()
                        node = ("call", start, self.last_end, obj_span, name, args)
                    else:
                        node = ("seq", [node, ("tok", "."), ("tok", name)])
                else:
                    raise LangSyntaxError(f"unexpected {self.tok.text!r} after '.'")
            elif self.at("["):
                self.take()
                index = self.expr()
                self.expect("]")
                node = ("seq", [node, ("tok", "["), index, ("tok", "]")])
            elif self.at("++", "--"):
                node = ("seq", [node, ("tok", self.take().text)])
            elif self.at("::"):
                self.take()
                if self.tok.kind != "name":
                    raise LangSyntaxError("expected a method name after '::'")
                node = ("seq", [node, ("tok", "::"), ("tok", self.take().text)])
            else:
                return node

    def primary(self) -> tuple:
        t = self.tok
        if t.kind == "str":
            return ("str", self.take().text)
        if t.kind == "char":
            return ("char", self.take().text)
        if t.kind == "num":
            return ("tok", self.take().text)
        if t.kind == "name":
            if t.text == "new":
                return self.creation()
            if t.text in ("true", "false", "null", "this", "super"):
                return ("tok", self.take().text)
            if t.text in _JAVA_PRIMITIVES or t.text in ("class", "instanceof", "return", "if", "else", "for", "while"):
                raise LangSyntaxError(f"unexpected keyword {t.text!r}")
            self.take()
            if self.at("("):
                args = self.args()
                return ("call", t.start, self.last_end, None, t.text, args)
            return ("raw", t.start, t.end)
        if self.at("("):
            self.take()
            inner = self.expr()
            self.expect(")")
            return ("seq", [("tok", "("), inner, ("tok", ")")])
        raise LangSyntaxError(f"unexpected {t.text!r}")

    def creation(self) -> tuple:
        self.expect("new")
        typ = self.type_(dims=False)
        if self.at("["):
            sized = False
            while self.at("["):
                self.take()
                if not self.at("]"):
                    self.expr()
                    sized = True
                self.expect("]")
            if sized or not self.at("{"):
                raise LangSyntaxError("array creation without an initializer")  # BFCL's decoder fails on it
            return ("newarr", typ, self.initializer())
        args = self.args()
        if self.at("{"):
            self.skip_balanced("{", "}")  # an anonymous class body: BFCL's decoder drops it
        return ("newobj", typ, args)

    def initializer(self) -> tuple:
        parts = [("tok", self.expect("{").text)]
        while not self.at("}"):
            parts.append(self.initializer() if self.at("{") else self.expr())
            if not self.at(","):
                break
            parts.append(("tok", self.take().text))
        parts.append(("tok", self.expect("}").text))
        return ("seq", parts)

    def program(self) -> ToolCall:
        """``parse_java_function_call``: a method call, then nothing or ';' and more statements."""
        while self.at(";"):  # empty statements
            self.take()
        node = _first_call(self.expr())
        if node is None:
            raise LangSyntaxError("no method call")
        semicolon = self.at(";")
        if semicolon:
            self.take()
            while self.tok.kind != "eof":  # further statements: read, then ignored (BFCL keeps the first call)
                self.expr()
                if self.tok.kind != "eof":
                    self.expect(";")
        if self.tok.kind != "eof":
            raise LangSyntaxError(f"unexpected {self.tok.text!r} after the call")
        stripped = self.src.strip()
        if not semicolon and len(stripped) + 30 * stripped.count("\n") < 11:
            # tree-sitter's error recovery: without ';', a statement this short is an ERROR node
            raise LangSyntaxError("too short to parse without ';'")
        _, _, _, obj_span, name, args = node
        if obj_span is not None:
            name = f"{self.src[obj_span[0]:obj_span[1]]}.{name}"
        out: dict[Any, Any] = {}
        for a in args:
            if a[0] == "assign" and LVALUE.fullmatch(self.source_of(a[1])):
                key, value = self.source_of(a[1]), self.text(a[3], nested=False)
            elif a[0] == "raw":  # a bare name or a class literal: BFCL files it under None
                key, value = None, self.text(a, nested=False)
            else:
                continue  # other positional arguments: BFCL's decoder drops them
            if key in out:
                raise LangSyntaxError("Multiple arguments with the same name are not supported.")
            out[key] = value
        return ToolCall(name, out)

    def source_of(self, node: tuple) -> str:
        """``get_text``: the node's source as written (names, objects of calls)."""
        if node[0] in ("raw", "call"):
            return self.src[node[1]:node[2]]
        return self.text(node)
