from django import template

from projects.rendering import markdown_to_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render Markdown to sanitised HTML: `{{ item.body|markdown }}`."""
    return render_markdown(text)


@register.filter
def plain_text(text):
    """The plain text of Markdown, escaped by the template as usual."""
    return markdown_to_text(text)
