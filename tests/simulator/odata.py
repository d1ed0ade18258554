"""The OData subset the GLP and Central list APIs accept in `filter` and `sort`.

filter: comparisons `field eq|ne|gt|ge|lt|le literal` and `field in (literal, ...)`, combined with
`and`, `or`, `not` and parentheses. Literals: 'strings', numbers, true, false, null. Fields may be dotted
(address.city). Each endpoint narrows this (plugins/module_utils/contract.py): Central takes only `and`, only
the operators its definition lists for each field, and escapes a quote in a string as \' where GLP doubles it.
Unknown fields, operators and joins and bad syntax raise QueryError (the API's 400).
sort: `field [asc|desc], field [asc|desc]`.
"""
import operator
import re


class QueryError(ValueError):
    """A filter or sort the API would reject with 400."""


ALL_LOGIC = ('and', 'or', 'not')
TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)(?![\w.])|(?P<word>[A-Za-z_][\w.]*)|(?P<punct>[(),]))")
COMPARISONS = {'eq': operator.eq, 'ne': operator.ne, 'gt': operator.gt, 'ge': operator.ge, 'lt': operator.lt,
               'le': operator.le}
KEYWORDS = {'true': True, 'false': False, 'null': None}


def field_value(item, name):
    for part in name.split('.'):
        if not isinstance(item, dict):
            return None
        item = item.get(part)
    return item


# Central's string literal: a quote inside is written \' (and a backslash \\).
CENTRAL_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*')|(?P<num>-?\d+(?:\.\d+)?)(?![\w.])|(?P<word>[A-Za-z_][\w.]*)|(?P<punct>[(),]))")
UNESCAPE = {"''": lambda text: text.replace("''", "'"), "\\'": lambda text: re.sub(r'\\(.)', r'\1', text)}


def tokenize(text, escape="''"):
    tokens, pos = [], 0
    text = text.rstrip()
    pattern = TOKEN if escape == "''" else CENTRAL_TOKEN
    while pos < len(text):
        match = pattern.match(text, pos)
        if not match:
            raise QueryError(f'invalid filter near position {pos}: {text[pos:pos + 20]!r}')
        pos = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == 'str':
            tokens.append(('lit', UNESCAPE[escape](value[1:-1])))
        elif kind == 'num':
            tokens.append(('lit', float(value) if '.' in value else int(value)))
        elif kind == 'word' and value.lower() in KEYWORDS:
            tokens.append(('lit', KEYWORDS[value.lower()]))
        else:
            tokens.append((kind, value))
    return tokens


def compare(op, left, right):
    if op in ('eq', 'ne'):
        return COMPARISONS[op](left, right)
    # Ordering needs two values of the same kind; anything else (null, a string against a number) is false.
    if left is None or right is None or isinstance(left, str) != isinstance(right, str):
        return False
    return COMPARISONS[op](left, right)


class FilterParser:
    """Recursive descent: or_expr := and_expr ('or' and_expr)*; and_expr := unary ('and' unary)*;
    unary := 'not' unary | '(' or_expr ')' | field op literal | field 'in' '(' literal, ... ')'."""

    def __init__(self, text, fields, logic=ALL_LOGIC, escape="''"):
        self.tokens = tokenize(text, escape)
        self.pos = 0
        # field -> the operators it takes; a plain list of fields takes them all
        self.fields = fields if isinstance(fields, dict) else dict.fromkeys(fields, tuple(COMPARISONS) + ('in',))
        self.logic = logic

    def peek(self, kind, value=None):
        """True when the next token is of `kind` (and, if given, `value`; words compare case-insensitively)."""
        if self.pos >= len(self.tokens):
            return False
        tok_kind, tok_value = self.tokens[self.pos]
        if tok_kind != kind:
            return False
        return value is None or str(tok_value).lower() == value

    def take(self, kind, value=None):
        if self.pos >= len(self.tokens):
            raise QueryError(f'invalid filter: unexpected end, expected {value or kind}')
        tok_kind, tok_value = self.tokens[self.pos]
        if tok_kind != kind or (value is not None and tok_value.lower() != value):
            raise QueryError(f'invalid filter: expected {value or kind} but found {tok_value!r}')
        self.pos += 1
        return tok_value

    def parse(self):
        if not self.tokens:
            raise QueryError('invalid filter: empty expression')
        predicate = self.or_expr()
        if self.pos != len(self.tokens):
            raise QueryError(f'invalid filter: unexpected {self.tokens[self.pos][1]!r}')
        return predicate

    def or_expr(self):
        return self.chain('or', self.and_expr, any)

    def and_expr(self):
        return self.chain('and', self.unary, all)

    def chain(self, word, operand, combine):
        """operand (word operand)*, combined with any() or all()."""
        parts = [operand()]
        while self.peek('word', word):
            self.refuse_join(word)
            self.pos += 1
            parts.append(operand())
        return parts[0] if len(parts) == 1 else lambda item: combine(p(item) for p in parts)

    def refuse_join(self, word):
        if word not in self.logic:
            raise QueryError(f"invalid filter: {word!r} is not supported here; only {' and '.join(repr(w) for w in self.logic)}"
                             ' may join conditions')

    def unary(self):
        if self.peek('word', 'not'):
            self.refuse_join('not')
            self.pos += 1
            inner = self.unary()
            return lambda item: not inner(item)
        if self.peek('punct', '('):
            self.pos += 1
            inner = self.or_expr()
            self.take('punct', ')')
            return inner
        return self.comparison()

    def comparison(self):
        name = self.take('word')
        if name not in self.fields:
            raise QueryError(f"invalid filter: field {name!r} is not supported here; supported: {', '.join(sorted(self.fields))}")
        op = self.take('word').lower()
        if op in COMPARISONS or op == 'in':
            allowed = self.fields[name]
            if op not in allowed:
                raise QueryError(f"invalid filter: operator {op!r} is not supported for {name}; use {' or '.join(allowed)}")
        if op == 'in':
            self.take('punct', '(')
            values = [self.take('lit')]
            while self.peek('punct', ','):
                self.pos += 1
                values.append(self.take('lit'))
            self.take('punct', ')')
            return lambda item: field_value(item, name) in values
        if op not in COMPARISONS:
            raise QueryError(f'invalid filter: unknown operator {op!r}')
        value = self.take('lit')
        return lambda item: compare(op, field_value(item, name), value)


def compile_filter(text, fields, logic=ALL_LOGIC, escape="''"):
    """A predicate for one `filter` value, checked against the endpoint's filterable fields (a list, or a dict of
    field -> operators), the joins it allows and its way of escaping a quote."""
    return FilterParser(text, fields, logic, escape).parse()


def sort_items(items, text, fields):
    """The items in `sort` order (stable; nulls last when ascending)."""
    keys = []
    for part in text.split(','):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ('asc', 'desc')):
            raise QueryError(f'invalid sort {part.strip()!r}: use "field asc" or "field desc"')
        if words[0] not in fields:
            raise QueryError(f"invalid sort: field {words[0]!r} is not supported here; supported: {', '.join(sorted(fields))}")
        keys.append((words[0], len(words) == 2 and words[1].lower() == 'desc'))
    result = list(items)
    for name, descending in reversed(keys):
        result.sort(key=lambda item, n=name: (field_value(item, n) is None, field_value(item, n)), reverse=descending)
    return result
