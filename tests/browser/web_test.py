#!/usr/bin/python3
"""The web page of `panmun-query serve` in headless Chromium (Debian's chromium, chromium-driver,
python3-selenium), as a journalist uses it: type a query and see the hits and facet counts that
`panmun-query search --json` gives; click a person, a timeline bar, drag across the timeline;
open a document and its precedents; load a permalink in a fresh browser; do it all by keyboard.
Screenshots of the main views go to --out; look at them.

Usage: web_test.py --index PANMUN-INDEX --query PANMUN-QUERY --sample JSONL --out DIR
Exits 77 (CTest's skip) when Chromium, its driver or Selenium is missing."""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as ChromeService
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    webdriver = None

ARGS = None
SERVER = None


def cli(*args):
    """panmun-query's JSON for the same request."""
    out = subprocess.run([ARGS.query, *args, "--archive", ARGS.archive], capture_output=True,
                         text=True, check=False)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,1000", "--lang=en-GB"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium")
    service = ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(0)
    return driver


class Page(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.driver = browser()

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    def go(self, path):
        self.driver.get(SERVER + path)
        self.wait_for_page()

    def wait_for_page(self):
        WebDriverWait(self.driver, 20).until(
            lambda d: d.execute_script("return document.readyState") == "complete")

    def wait_for_url(self, pattern):
        WebDriverWait(self.driver, 20).until(lambda d: re.search(pattern, d.current_url))
        self.wait_for_page()

    def total(self):
        return int(self.driver.find_element(By.ID, "total").get_attribute("data-total"))

    def hit_ids(self):
        return [a.get_attribute("href").rsplit("/doc/", 1)[1].split("?")[0]
                for a in self.driver.find_elements(By.CSS_SELECTOR, ".hit h3 a.title")]

    def facet(self, kind):
        out = {}
        for a in self.driver.find_elements(By.CSS_SELECTOR, f'[data-facet="{kind}"] li a[data-filter]'):
            out[a.get_attribute("data-filter").split(":", 1)[1]] = int(
                a.find_element(By.CSS_SELECTOR, ".count").text.replace(",", ""))
        return out

    def shot(self, name):
        os.makedirs(ARGS.out, exist_ok=True)
        self.driver.save_screenshot(os.path.join(ARGS.out, name + ".png"))

    def search_by_typing(self, query):
        self.go("/")
        box = self.driver.find_element(By.ID, "q")
        box.clear()
        box.send_keys(query, Keys.ENTER)
        self.wait_for_url(r"/search\?")

    def test_typed_query_shows_the_cli_hits_and_facets(self):
        self.search_by_typing("hotline")
        expected = cli("search", "--json", "--facets", "person,org,place,event,date", "hotline")
        self.assertEqual(self.total(), expected["total"])
        self.assertEqual(self.hit_ids(), [h["id"] for h in expected["hits"]])
        for kind in ("person", "org", "place", "event"):
            self.assertEqual(self.facet(kind),
                             {e["id"]: e["count"] for e in expected["facets"][kind]}, kind)
        bars = self.driver.find_elements(By.CSS_SELECTOR, ".timeline a[data-bucket]")
        self.assertEqual([b.get_attribute("data-bucket") for b in bars],
                         [b["bucket"] for b in expected["facets"]["date"]["buckets"]])
        marks = self.driver.find_elements(By.CSS_SELECTOR, ".hit .snippet mark")
        self.assertTrue(marks and all(m.text.lower().startswith("hotline") for m in marks))
        self.shot("search")

    def test_a_person_and_timeline_bars_filter_the_total(self):
        self.go("/search?q=hotline")
        self.driver.find_element(By.CSS_SELECTOR, '[data-filter="person:kim-jong-un"]').click()
        self.wait_for_url(r"f=person%3Akim-jong-un")
        count = cli("search", "--json", "--limit", "0", "hotline person:kim-jong-un")["total"]
        self.assertEqual(self.total(), count)
        chip = self.driver.find_element(By.CSS_SELECTOR, ".chips a.chip")
        self.assertIn("Kim Jong Un", chip.text)
        self.shot("facets-and-timeline")
        chip.click()  # removes the filter
        self.wait_for_url(r"^(?!.*f=person)")
        self.assertEqual(self.total(), cli("search", "--json", "--limit", "0", "hotline")["total"])
        # A bar: the search narrowed to its year.
        bar = self.driver.find_element(By.CSS_SELECTOR, '.timeline a[data-bucket="2009"] rect.bar')
        ActionChains(self.driver).move_to_element(bar).click().perform()
        self.wait_for_url(r"from=2009&to=2009")
        self.assertEqual(self.total(), cli("search", "--json", "--limit", "0", "--from", "2009",
                                           "--to", "2009", "hotline")["total"])
        # A drag from one bar to another: the range between them.
        self.go("/search?q=hotline")
        first = self.driver.find_element(By.CSS_SELECTOR, '.timeline a[data-bucket="2010"] rect.hitbox')
        last = self.driver.find_element(By.CSS_SELECTOR, '.timeline a[data-bucket="2018"] rect.hitbox')
        ActionChains(self.driver).move_to_element(first).click_and_hold().move_to_element(
            last).release().perform()
        self.wait_for_url(r"from=2010&to=2018")
        self.assertEqual(self.total(), cli("search", "--json", "--limit", "0", "--from", "2010",
                                           "--to", "2018", "hotline")["total"])
        self.assertIn("2010 – 2018", self.driver.find_element(By.CSS_SELECTOR, ".chips").text)

    def test_who_is_named_with_an_entity_and_each_count_opens_its_articles(self):
        self.go("/search?q=hotline")
        self.driver.find_element(By.CSS_SELECTOR, 'a.with[href*="person%3Akim-jong-un"]').click()
        self.wait_for_url(r"/with\?e=person%3Akim-jong-un")
        expected = cli("entities", "--json", "--with", "person:kim-jong-un", "--top", "30",
                       "hotline")
        heads = [th.text for th in self.driver.find_elements(
            By.CSS_SELECTOR, "table.cooccurrence thead th")]
        self.assertEqual(heads[2:], expected["buckets"])
        rows = self.driver.find_elements(By.CSS_SELECTOR, "table.cooccurrence tbody tr")
        self.assertEqual(len(rows), 1 + len(expected["entities"]))
        for row, entity in zip(rows[1:], expected["entities"]):
            cells = [td.text for td in row.find_elements(By.CSS_SELECTOR, "td")]
            self.assertEqual(cells, [str(entity["documents"])] + [str(n) for n in entity["counts"]])
        self.shot("named-with")
        # A count opens the articles naming both in that bucket: as many as it says.
        cell = rows[1].find_elements(By.CSS_SELECTOR, "td a")[1]
        count = int(cell.text)
        cell.click()
        self.wait_for_url(r"/search\?")
        self.assertEqual(self.total(), count)

    def test_a_document_shows_its_text_entities_and_precedents(self):
        self.go("/search?q=%22military+hotline%22&sort=-date")
        link = self.driver.find_element(By.CSS_SELECTOR, ".hit h3 a.title")
        doc_id = link.get_attribute("href").rsplit("/doc/", 1)[1]
        link.click()
        self.wait_for_url(r"/doc/")
        shown = cli("show", "--json", doc_id)
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, shown["title"])
        paragraphs = [p.text for p in self.driver.find_elements(By.CSS_SELECTOR, ".text p")]
        self.assertEqual(paragraphs, [line.strip() for line in shown["text"].split("\n") if line.strip()])
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, ".entities a.chip"))
        precedents = cli("like", "--json", "--before", shown["date"], doc_id)
        self.assertEqual(self.hit_ids(), [h["id"] for h in precedents["hits"]])
        self.assertIn("Precedents before " + shown["date"],
                      self.driver.find_element(By.ID, "precedents-title").text)
        self.shot("document")

    def test_a_permalink_gives_the_same_page_in_a_fresh_browser(self):
        self.go("/search?q=hotline&f=place%3Akaesong&from=2009&to=2013&sort=date")
        url, total, ids = self.driver.current_url, self.total(), self.hit_ids()
        fresh = browser()
        try:
            fresh.get(url)
            self.assertEqual(int(fresh.find_element(By.ID, "total").get_attribute("data-total")), total)
            self.assertEqual([a.get_attribute("href").rsplit("/doc/", 1)[1]
                              for a in fresh.find_elements(By.CSS_SELECTOR, ".hit h3 a.title")], ids)
        finally:
            fresh.quit()
        # Back and forward move between states.
        self.go("/search?q=summit")
        self.driver.back()
        self.wait_for_page()
        self.assertEqual(self.hit_ids(), ids)
        self.driver.forward()
        self.wait_for_page()
        self.assertIn("q=summit", self.driver.current_url)

    def test_everything_by_keyboard(self):
        self.go("/")
        body = self.driver.find_element(By.TAG_NAME, "body")
        body.send_keys("/")
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("id"), "q")
        self.driver.switch_to.active_element.send_keys("hotline", Keys.ENTER)
        self.wait_for_url(r"q=hotline")
        ids = self.hit_ids()
        self.assertGreater(len(ids), 2)
        active = lambda: self.driver.switch_to.active_element
        active().send_keys("j")
        self.assertTrue(active().get_attribute("href").endswith("/doc/" + ids[0]))
        active().send_keys("j")
        active().send_keys(Keys.ARROW_DOWN)
        self.assertTrue(active().get_attribute("href").endswith("/doc/" + ids[2]))
        active().send_keys("k")
        self.assertTrue(active().get_attribute("href").endswith("/doc/" + ids[1]))
        self.shot("keyboard")
        active().send_keys(Keys.ENTER)
        self.wait_for_url(r"/doc/" + re.escape(ids[1]))
        # Tab order: from the top of a results page, the hits come after the form and in order.
        self.go("/search?q=hotline")
        seen = []
        for _ in range(40):
            ActionChains(self.driver).send_keys(Keys.TAB).perform()
            href = active().get_attribute("href") or ""
            if "/doc/" in href and "title" in (active().get_attribute("class") or ""):
                seen.append(href.rsplit("/doc/", 1)[1])
            if len(seen) == 2:
                break
        self.assertEqual(seen, self.hit_ids()[:2])
        # A timeline bar by keyboard: focus it, Enter follows its link.
        self.go("/search?q=hotline")
        bar = self.driver.find_element(By.CSS_SELECTOR, '.timeline a[data-bucket="2013"]')
        self.driver.execute_script("arguments[0].focus()", bar)
        active().send_keys(Keys.ENTER)
        self.wait_for_url(r"from=2013&to=2013")

    def test_query_errors_show_at_their_column_while_typing(self):
        self.go("/")
        box = self.driver.find_element(By.ID, "q")
        box.send_keys('hotline NEAR/0 cut')
        error = WebDriverWait(self.driver, 10).until(
            EC.visibility_of_element_located((By.CSS_SELECTOR, "#query-error pre mark.at")))
        self.assertEqual(error.text, "0")  # column 14
        self.assertIn("column 14", self.driver.find_element(By.ID, "query-error").text)
        self.assertEqual(box.get_attribute("aria-invalid"), "true")
        self.shot("error")
        box.send_keys(Keys.BACKSPACE * 5, "1 cut")
        WebDriverWait(self.driver, 10).until(
            EC.invisibility_of_element_located((By.ID, "query-error")))

    def test_hangul_renders_and_gets_korean_names(self):
        self.search_by_typing("북한")
        expected = cli("search", "--json", "--facets", "place", "북한")
        self.assertEqual(self.total(), expected["total"])
        names = [a.find_element(By.CSS_SELECTOR, ".name").text
                 for a in self.driver.find_elements(By.CSS_SELECTOR, '[data-facet="place"] li a[data-filter]')]
        self.assertIn("북한", names)
        # Hangul drawn with a CJK font: a syllable is as wide as it is tall, not a box of tofu.
        width = self.driver.execute_script(
            "const s = document.createElement('span'); s.textContent = '한'; s.style.fontSize = '40px';"
            "document.body.appendChild(s); const w = s.getBoundingClientRect().width; s.remove(); return w;")
        self.assertGreater(width, 30)
        self.shot("korean")

    def test_dark_mode_follows_the_system(self):
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        try:
            self.go("/search?q=hotline")
            background = self.driver.execute_script(
                "return getComputedStyle(document.body).backgroundColor")
            self.assertEqual(background, "rgb(22, 24, 27)")
            self.shot("dark")
        finally:
            self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def main():
    global ARGS, SERVER
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--query", required=True)
    parser.add_argument("--sample", required=True)
    parser.add_argument("--out", required=True)
    ARGS, rest = parser.parse_known_args()
    if webdriver is None or not shutil.which("chromium") or not shutil.which("chromedriver"):
        print("skipped: needs chromium, chromium-driver and python3-selenium (scripts/install-deps)")
        return 77
    work = tempfile.mkdtemp(prefix="panmun-web-")
    ARGS.archive = os.path.join(work, "sample.panmun")
    subprocess.run([ARGS.index, "build", "--quiet", "--archive", ARGS.archive, ARGS.sample], check=True)
    server = subprocess.Popen([ARGS.query, "serve", "--port", "0", "--archive", ARGS.archive],
                              stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        match = re.search(r"http://[^ ]+/", line)
        if not match:
            print("server did not start: " + line + server.stderr.read(), file=sys.stderr)
            return 1
        SERVER = match.group(0).rstrip("/")
        result = unittest.main(argv=[sys.argv[0], "-v", *rest], exit=False).result
        return 0 if result.wasSuccessful() else 1
    finally:
        server.terminate()
        status = server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
        if status != 0:
            print(f"server exited with status {status} on SIGTERM", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
