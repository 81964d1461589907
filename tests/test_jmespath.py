# SPDX-License-Identifier: Apache-2.0
"""JMESPath over GVariant from Python, through the typelib."""

import gi
import pytest

gi.require_version("Boto", "1.0")
from gi.repository import Boto, GLib  # noqa: E402


def data():
    return GLib.Variant("a{sv}", {
        "a": GLib.Variant("aa{sv}", [
            {"b": GLib.Variant("s", "one"), "n": GLib.Variant("x", 1)},
            {"b": GLib.Variant("s", "two"), "n": GLib.Variant("x", 5)},
        ]),
        "names": GLib.Variant("as", ["z", "y"]),
    })


def test_projection():
    assert Boto.jmespath_search("a[].b", data()).unpack() == ["one", "two"]


def test_filter_and_functions():
    assert Boto.jmespath_search("a[?n > `2`].b | [0]", data()).unpack() == "two"
    assert Boto.jmespath_search("sum(a[].n)", data()).unpack() == 6
    assert Boto.jmespath_search("{first: names[0], count: length(names)}", data()).unpack() == {
        "first": "z", "count": 2}


def test_input_value_kept():
    result = Boto.jmespath_search("names", data())
    assert result.get_type_string() == "as"
    assert result.unpack() == ["z", "y"]


def test_null_result():
    assert Boto.jmespath_search("missing", data()) is None


def test_compiled_expression():
    expr = Boto.JmespathExpression.new("sort(names)")
    assert expr.get_expression() == "sort(names)"
    assert expr.search(data()).unpack() == ["y", "z"]


def test_errors():
    with pytest.raises(GLib.Error) as info:
        Boto.jmespath_search("a[", data())
    assert info.value.matches(Boto.jmespath_error_quark(), Boto.JmespathError.SYNTAX)
    assert "offset 2" in info.value.message

    with pytest.raises(GLib.Error) as info:
        Boto.jmespath_search("abs(names)", data())
    assert info.value.matches(Boto.jmespath_error_quark(), Boto.JmespathError.INVALID_TYPE)
