"""Every page of the portal, for each role, in French and English, at a desktop and a phone width:
axe-core finds no serious or critical accessibility violation, nothing pushes the page sideways,
and a screenshot of each page is kept for people to look at (see conftest.SCREENSHOTS)."""
import pytest
from tests.e2e.conftest import sign_in
from tests.site_map import populate

pytestmark = pytest.mark.e2e

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""

def refuse_a_save(page):
    page.locator("#name").fill("")
    page.locator("form.settings [type=submit]").click()
    page.locator("#error-summary").wait_for()


def open_a_cell(page):
    page.locator('td[data-column="forwarding"]').first.click()
    page.locator("td.editing").wait_for()


# Pages in a state of their own, reached from a page of the site map.
STATES = {"admin": [("settings-refused", "settings", refuse_a_save), ("grid-cell-open", "grid", open_a_cell)]}

# A sticky bar would sit in the middle of a full-page picture: there, it stays in place.
IN_PLACE = ".sticky { position: static !important; }"
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_is_accessible_and_fits_the_screen(live_server, app, browser, axe_source, screenshots_dir,
                                                      language, width):
    portal = populate(language)
    folder = screenshots_dir / f"{language}-{width}"
    folder.mkdir()
    serious, overflowing, seen = [], [], 0
    for role, pages in portal.pages.items():
        context = browser.new_context(locale=f"{language}-CA", viewport={"width": width, "height": 900})
        # In every page before its own scripts; an init script is not subject to the page's
        # Content-Security-Policy, as a <script> tag added to the page would be.
        context.add_init_script(axe_source)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if role != "anonymous":
            sign_in(page, live_server, getattr(portal, role))
        paths = dict(pages)
        visits = [(name, path, None) for name, path in pages]
        visits += [(name, paths[page_name], act) for name, page_name, act in STATES.get(role, [])]
        for name, path, act in visits:
            page.goto(live_server + path)
            if act is not None:
                act(page)
            assert page.locator("html").get_attribute("lang") == language, f"{role} {path}"
            for violation in page.evaluate(AXE_RUN):
                if violation["impact"] in ("serious", "critical"):
                    serious.append(f"{role} {name} {path}: {violation}")
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                overflowing.append(f"{role} {name} {path}: {overflow}px wider than the screen")
            page.screenshot(path=folder / f"{role}-{name}.png", full_page=True, style=IN_PLACE)
            seen += 1
        context.close()
    assert seen == sum(len(p) for p in portal.pages.values()) + sum(len(s) for s in STATES.values())
    assert not serious + overflowing, "\n".join(serious + overflowing)
