from hindsight.hostile import Page


def test_a_checked_box_sends_its_value_or_on_as_a_browser_does():
    page = Page('<form><input type="radio" name="a" value="" checked>'
                '<input type="checkbox" name="b" checked>'
                '<input type="checkbox" name="c" value="yes" checked>'
                '<input type="checkbox" name="d" value="no"></form>')

    assert page.form_values == {"a": [""], "b": ["on"], "c": ["yes"]}
