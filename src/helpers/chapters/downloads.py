"""The Downloads page: where the narrative notebook leaves room for the list the build writes.

What an edition holds for download (its report and praatplaat PDFs, the CSV
of every table) is known only once the build has written it, after every
chapter ran; so the notebook shows a placeholder, and the build fills it with
the files it wrote (`helpers.pipeline.downloads`). Run on its own (JupyterLab)
the page says where the files will be.
"""
from __future__ import annotations

from helpers.book.sentences import sentence_file

SENTENCES = sentence_file("downloads")

#: The element the build replaces with the list of files (`helpers.pipeline.downloads.fill`).
PLACEHOLDER_CLASS = "mb-downloads"


def placeholder_html() -> str:
    return f'<div class="{PLACEHOLDER_CLASS}"><p>{SENTENCES.say("plaatshouder")}</p></div>'
