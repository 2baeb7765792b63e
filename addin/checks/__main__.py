from . import catalogue_markdown

print(catalogue_markdown(), end="")
