from addin.checks import catalogue_markdown

print(catalogue_markdown(), end="")
