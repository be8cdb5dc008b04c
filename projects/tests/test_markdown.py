import pytest

from projects.rendering import markdown_to_text, render_markdown

DANGEROUS = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="https://example.fi" onclick="alert(1)">linkki</a>',
    "[linkki](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">tyyli</p>',
    "<svg onload=alert(1)>",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_scripts_handlers_and_javascript_links_never_survive(text):
    html = render_markdown(text).lower()
    for bad in [
        "<script",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "<iframe",
        "style=",
        "<svg",
    ]:
        assert bad not in html


def test_markdown_renders_headings_from_h2_lists_links_and_tables():
    html = render_markdown(
        "# Otsikko\n\n**Lihava** ja [THL](https://thl.fi).\n\n- yksi\n- kaksi\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2" in html and "<h1" not in html
    assert "<strong>Lihava</strong>" in html
    assert '<a href="https://thl.fi" rel="noopener noreferrer nofollow">THL</a>' in html
    assert "<li>yksi</li>" in html
    assert "<table>" in html


def test_raw_h1_is_dropped_so_a_page_keeps_one_h1():
    assert "<h1" not in render_markdown("<h1>Iso</h1>")


def test_plain_text_drops_markup_and_scripts():
    assert markdown_to_text("**Hei** <script>alert(1)</script> [moi](https://a.fi)") == "Hei  moi"
