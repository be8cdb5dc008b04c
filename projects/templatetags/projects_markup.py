from django import template

from projects.rendering import render_markdown, summary_text

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown to sanitised HTML: `{{ item.body|markdown }}`."""
    return render_markdown(text)


@register.filter
def plain_text(text):
    """The plain text of published Markdown, escaped by the template as usual."""
    return summary_text(text)
