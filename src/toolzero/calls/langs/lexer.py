"""Step 1 of BFCL's Java / JavaScript scoring, shared part: the tokenizer and the parser machinery.

BFCL decodes Java / JavaScript answers with tree-sitter; :mod:`toolzero.calls.langs.java` and
:mod:`toolzero.calls.langs.javascript` are small recursive-descent parsers over the tokens made here.
"""

from __future__ import annotations

import re


class LangSyntaxError(ValueError):
    """The answer is not a call BFCL's Java / JavaScript decoder reads."""


_OPS = sorted(""">>>= <<= >>= === !== **= &&= ||= ??= ... ?. ?? -> => :: ++ -- && || == != <= += -= *= /= %= &= |= ^= << **
              ( ) [ ] { } ; , . @ = < ! ~ ? : + - * / % & | ^ #""".split(), key=len, reverse=True)
_OPS = [o for o in _OPS if not o.startswith(">")]  # '>' is always its own token: Java generics close with it
_JAVA_NUMBER = re.compile(r"0[xX][0-9a-fA-F_]+[lL]?|0[bB][01_]+[lL]?|"
                          r"(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[lLfFdD]?")
_JS_NUMBER = re.compile(r"0[xX][0-9a-fA-F_]+n?|0[bB][01_]+n?|0[oO][0-7_]+n?|"
                        r"(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?n?")
IDENT = re.compile(r"[^\W\d][\w$]*|\$[\w$]*", re.UNICODE)
_IDENT_CONT = re.compile(r"[\w$]")


class Token:
    """One token: its kind ("name", "num", "str", "char", "tmpl", "regex", "op", "eof"), text and span."""

    __slots__ = ("kind", "text", "start", "end", "nl")

    def __init__(self, kind: str, text: str, start: int, end: int, nl: bool):
        self.kind, self.text, self.start, self.end, self.nl = kind, text, start, end, nl  # nl: newline before it

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.kind}:{self.text!r}"


class Lexer:
    """Tokens on demand (JavaScript needs the parser's context to tell a regex from a division)."""

    def __init__(self, src: str, js: bool):
        self.src, self.js, self.pos = src, js, 0
        self.tok = self._scan()

    def _skip(self) -> bool:
        src, n, nl = self.src, len(self.src), False
        while self.pos < n:
            c = src[self.pos]
            if c in " \t\r\f\v\u00a0\ufeff":
                self.pos += 1
            elif c == "\n":
                nl = True
                self.pos += 1
            elif src.startswith("//", self.pos):
                end = src.find("\n", self.pos)
                self.pos = n if end < 0 else end
            elif src.startswith("/*", self.pos):
                end = src.find("*/", self.pos + 2)
                if end < 0:
                    raise LangSyntaxError("unterminated comment")
                nl = nl or "\n" in src[self.pos:end]
                self.pos = end + 2
            else:
                break
        return nl

    def _quoted(self, q: str, start: int) -> int:
        src, i = self.src, start + 1
        while i < len(src):
            c = src[i]
            if c == "\\":
                if i + 1 >= len(src) or (src[i + 1] == "\n" and not self.js):
                    raise LangSyntaxError("bad escape")
                i += 2
                continue
            if c == "\n":
                raise LangSyntaxError("newline in a string")
            if c == q:
                return i + 1
            i += 1
        raise LangSyntaxError("unterminated string")

    def _template(self, start: int) -> int:
        src, i, n = self.src, start + 1, len(self.src)
        while i < n:
            c = src[i]
            if c == "\\":
                i += 2
            elif c == "`":
                return i + 1
            elif src.startswith("${", i):
                depth, i = 1, i + 2
                while i < n and depth:
                    ch = src[i]
                    if ch in "'\"":
                        i = self._quoted(ch, i)
                        continue
                    if ch == "`":
                        i = self._template(i)
                        continue
                    depth += {"{": 1, "}": -1}.get(ch, 0)
                    i += 1
            else:
                i += 1
        raise LangSyntaxError("unterminated template")

    def _scan(self) -> Token:
        nl = self._skip()
        src, start = self.src, self.pos
        if start >= len(src):
            return Token("eof", "", start, start, nl)
        c = src[start]
        if c == '"' or (c == "'" and self.js):
            end = self._quoted(c, start)
            kind = "str"
        elif c == "'":  # Java: a character literal; tree-sitter takes several characters, but not none
            end = self._quoted("'", start)
            if end == start + 2:
                raise LangSyntaxError("empty character literal")
            kind = "char"
        elif c == "`" and self.js:
            end, kind = self._template(start), "tmpl"
        elif c.isdigit() or (c == "." and start + 1 < len(src) and src[start + 1].isdigit()):
            m = (_JS_NUMBER if self.js else _JAVA_NUMBER).match(src, start)
            end, kind = m.end(), "num"
            if end < len(src) and _IDENT_CONT.match(src[end]):
                raise LangSyntaxError(f"bad number near {src[start:end + 1]!r}")
        elif m := IDENT.match(src, start):
            end, kind = m.end(), "name"
        elif c == ">":
            end, kind = start + 1, "op"
        else:
            op = next((o for o in _OPS if src.startswith(o, start)), None)
            if op is None:
                raise LangSyntaxError(f"unexpected character {c!r}")
            end, kind = start + len(op), "op"
        self.pos = end
        return Token(kind, src[start:end], start, end, nl)

    def next(self) -> Token:
        tok = self.tok
        self.tok = self._scan()
        return tok

    def regex(self) -> Token:
        """Re-read the current ``/`` or ``/=`` token as a regular-expression literal."""
        src, start = self.src, self.tok.start
        i, in_class = start + 1, False
        while True:
            if i >= len(src) or src[i] == "\n":
                raise LangSyntaxError("unterminated regex")
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if c == "[":
                in_class = True
            elif c == "]":
                in_class = False
            elif c == "/" and not in_class:
                break
            i += 1
        i += 1
        while i < len(src) and "a" <= src[i] <= "z":  # tree-sitter's regex_flags: [a-z]+
            i += 1
        tok = Token("regex", src[start:i], start, i, self.tok.nl)
        self.pos = i
        self.tok = self._scan()
        return tok


class Parser:
    """Shared machinery: token access, expectations, binary operators."""

    # binary operators by precedence (higher binds tighter); ">" forms are assembled from single '>' tokens
    PREC = {"??": 1, "||": 2, "&&": 3, "|": 4, "^": 5, "&": 6, "==": 7, "!=": 7, "===": 7, "!==": 7,
            "<": 8, ">": 8, "<=": 8, ">=": 8, "instanceof": 8, "in": 8, "<<": 9, ">>": 9, ">>>": 9,
            "+": 10, "-": 10, "*": 11, "/": 11, "%": 11, "**": 12}
    ASSIGN = frozenset({"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", ">>>=", "**=", "&&=", "||=", "??="})

    def __init__(self, src: str, js: bool):
        self.src = src
        self.lex = Lexer(src, js)
        self.last_end = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.lex.tok

    def take(self) -> Token:
        tok = self.lex.next()
        self.last_end = tok.end
        return tok

    def at(self, *texts: str) -> bool:
        return self.tok.kind in ("op", "name") and self.tok.text in texts

    def expect(self, text: str) -> Token:
        if not self.at(text):
            raise LangSyntaxError(f"expected {text!r}, got {self.tok.text!r}")
        return self.take()

    def guard(self) -> None:
        self.depth += 1
        if self.depth > 200:
            raise LangSyntaxError("nested too deeply")

    def gt_op(self) -> str | None:
        """An operator starting with '>' made of adjacent tokens ('>', '>=', '>>', '>>>', '>>=', '>>>=')."""
        src, i = self.src, self.tok.start
        if self.tok.text != ">" or self.tok.kind != "op":
            return None
        j = i + 1
        while j < len(src) and src[j] == ">" and j - i < 3:
            j += 1
        if j < len(src) and src[j] == "=" and not src.startswith("==", j) and not src.startswith("=>", j):
            j += 1
        return src[i:j]

    def take_op(self, op: str) -> None:
        """Consume the tokens that make up ``op`` (several '>' tokens and an '=' for the '>' forms)."""
        end = self.tok.start + len(op)
        while self.tok.kind != "eof" and self.tok.start < end:
            self.take()

    def binop(self) -> str | None:
        t = self.tok
        if t.kind == "op":
            if t.text == ">":
                return self.gt_op()
            return t.text if t.text in self.PREC or t.text in self.ASSIGN else None
        if t.kind == "name" and t.text in ("instanceof", "in"):
            return t.text
        return None

    def skip_balanced(self, open_: str, close: str) -> list[Token]:
        """Tokens from ``open_`` to its matching ``close`` (brackets of all kinds balanced)."""
        pairs = {"(": ")", "[": "]", "{": "}"}
        stack, toks = [], []
        if not self.at(open_):
            raise LangSyntaxError(f"expected {open_!r}")
        while True:
            t = self.tok
            if t.kind == "eof":
                raise LangSyntaxError("unbalanced brackets")
            if t.kind == "op" and t.text in pairs:
                stack.append(pairs[t.text])
            elif t.kind == "op" and t.text in (")", "]", "}"):
                if not stack or stack.pop() != t.text:
                    raise LangSyntaxError("unbalanced brackets")
            toks.append(self.take())
            if not stack:
                if toks[-1].text != close:
                    raise LangSyntaxError("unbalanced brackets")
                return toks


# What tree-sitter reads as the target of an assignment (a name, a field, an array element); an
# argument like ``-x=1`` is something else, and BFCL's decoder drops it.
LVALUE = re.compile(r"[\w$]+(\s*\.\s*[\w$]+|\s*\[[^\]]*\])*")
