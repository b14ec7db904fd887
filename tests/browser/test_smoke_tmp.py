import pytest, time
pytestmark = pytest.mark.browser

def test_smoke(page, live_server):
    page.set_content('<form><input type="date" id="d"><input type="month" id="m"><input type="radio" name="r" value="a"><input type="radio" name="r" value="b"><input type="radio" name="r" value="c"></form>')
    page.keyboard.press("Tab")
    page.keyboard.type("05171980")
    print("date", page.evaluate("document.getElementById('d').value"), page.evaluate("document.activeElement.id"))
    page.keyboard.press("Tab")
    print("focus", page.evaluate("document.activeElement.id"))
    page.keyboard.type("062027")
    print("month", page.evaluate("document.getElementById('m').value"))
    page.keyboard.press("Tab")
    print("focus", page.evaluate("document.activeElement.outerHTML"))
    page.keyboard.press("ArrowDown")
    print("radio", page.evaluate("document.querySelector(':checked').value"))
