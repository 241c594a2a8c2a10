"""The language menu links back to the page being shown, never to another site, whatever the path holds."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest

from tests.web.conftest import text_of


def language_links(html: str) -> list[str]:
    menu = html.split('class="languages"', 1)[1].split("</nav>", 1)[0]
    return [unescape(href) for href in re.findall(r'href="([^"]*)"', menu)]


SNEAKY_PATHS = ["/%5Cevil.example", "/%5C%5Cevil.example/x", "/%2F%2Fevil.example", "/%09/evil.example"]


@pytest.mark.parametrize("path", SNEAKY_PATHS)
def test_language_links_on_an_error_page_stay_on_the_site(client, path):
    response = client.get(path)
    links = language_links(text_of(response))
    assert response.status_code == 404 and len(links) == 2
    for link in links:
        assert "\\" not in link and not link.startswith("/"), link
        assert urlsplit(urljoin(f"http://eventhub.test{path}", link)).netloc == "eventhub.test"


def test_language_links_keep_the_page_and_its_query(client):
    links = language_links(text_of(client.get("/?page=2")))
    assert links == ["?page=2&lang=en", "?page=2&lang=da"]
    assert (
        urljoin("http://eventhub.test/series/taskforce?page=2", links[1])
        == "http://eventhub.test/series/taskforce?page=2&lang=da"
    )
