// panmun's page, enhanced: keys (/ to search, j/k or arrows through hits, Enter opens), a drag
// across the timeline to choose dates, and query errors shown at their column while typing.
// The page works without this file: every state is a URL the server renders.
"use strict";

(function () {
  const box = document.getElementById("q");
  const hits = () => Array.from(document.querySelectorAll(".hit"));
  let current = -1;

  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "SELECT" ||
                      target.tagName === "TEXTAREA" || target.isContentEditable);
  }

  function select(i) {
    const list = hits();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, i));
    list.forEach((h, k) => h.classList.toggle("current", k === current));
    const link = list[current].querySelector("a.title");
    link.focus();
    list[current].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "/" && !typing(e.target)) {
      e.preventDefault();
      box.focus();
      box.select();
      return;
    }
    if (e.key === "Escape" && e.target === box) {
      box.blur();
      return;
    }
    if (typing(e.target)) return;
    if (e.key === "j" || e.key === "ArrowDown") {
      if (!hits().length) return;
      e.preventDefault();
      select(current + 1);
    } else if (e.key === "k" || e.key === "ArrowUp") {
      if (!hits().length) return;
      e.preventDefault();
      select(current < 0 ? 0 : current - 1);
    }
  });
  // Tab and clicks move the current hit too, so j/k continue from there.
  document.addEventListener("focusin", (e) => {
    const hit = e.target.closest && e.target.closest(".hit");
    if (hit) {
      current = hits().indexOf(hit);
      hits().forEach((h, k) => h.classList.toggle("current", k === current));
    }
  });

  // The timeline: a click on a bar follows its link; a drag across bars narrows to the range.
  const svg = document.querySelector(".timeline svg");
  if (svg) {
    const bars = Array.from(svg.querySelectorAll("a[data-bucket]"));
    let start = null, end = null, dragged = false;
    const barAt = (x, y) => {
      const el = document.elementFromPoint(x, y);
      const a = el && el.closest && el.closest("a[data-bucket]");
      return a ? bars.indexOf(a) : -1;
    };
    const mark = () => {
      const lo = Math.min(start, end), hi = Math.max(start, end);
      bars.forEach((b, k) => b.classList.toggle("selected", start !== null && k >= lo && k <= hi));
    };
    svg.addEventListener("pointerdown", (e) => {
      const i = barAt(e.clientX, e.clientY);
      if (i < 0) return;
      start = end = i;
      dragged = false;
      svg.setPointerCapture(e.pointerId);
      mark();
      e.preventDefault();
    });
    svg.addEventListener("pointermove", (e) => {
      if (start === null) return;
      const i = barAt(e.clientX, e.clientY);
      if (i >= 0 && i !== end) {
        end = i;
        dragged = true;
        mark();
      }
    });
    svg.addEventListener("pointerup", () => {
      if (start === null) return;
      const lo = Math.min(start, end), hi = Math.max(start, end);
      start = null;
      if (!dragged) {
        window.location.href = bars[lo].getAttribute("href");
        return;
      }
      const url = new URL(window.location.href);
      url.pathname = "/search";
      url.searchParams.set("from", bars[lo].dataset.bucket);
      url.searchParams.set("to", bars[hi].dataset.bucket);
      url.searchParams.delete("page");
      window.location.href = url.toString();
    });
    // A pointer's click was handled on pointerup (a drag must not also follow the bar's link);
    // a click from the keyboard (Enter on a focused bar, detail 0) follows it.
    svg.addEventListener("click", (e) => {
      if (e.detail > 0) e.preventDefault();
    });
  }

  // Query errors at their column while typing (the server says the same on submit).
  const errorBox = document.getElementById("query-error");
  let timer = null, asked = 0;
  function showError(query, message, column) {
    errorBox.replaceChildren();
    if (!message) {
      errorBox.hidden = true;
      box.removeAttribute("aria-invalid");
      return;
    }
    const p = document.createElement("p");
    p.textContent = message.split("\n")[0];
    errorBox.appendChild(p);
    if (column) {
      const chars = Array.from(query), at = column - 1;
      const pre = document.createElement("pre");
      pre.append(chars.slice(0, at).join(""));
      const m = document.createElement("mark");
      m.className = "at";
      m.textContent = chars[at] || "\u00a0";
      pre.append(m, chars.slice(at + 1).join(""));
      errorBox.appendChild(pre);
    }
    errorBox.hidden = false;
    box.setAttribute("aria-invalid", "true");
  }
  if (box && errorBox) {
    box.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const query = box.value.trim();
        const mine = ++asked;
        if (!query) return showError("", "");
        const params = new URLSearchParams({ q: query, limit: "0" });
        const archive = new URLSearchParams(window.location.search).get("archive");
        if (archive) params.set("archive", archive);
        try {
          const response = await fetch("/api/search?" + params.toString());
          const body = await response.json();
          if (mine !== asked) return;
          showError(query, response.ok ? "" : body.error, body.column || 0);
        } catch (err) {
          // The server is gone: the submit will say so.
        }
      }, 250);
    });
  }
})();
