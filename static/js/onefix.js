/* Onefix's own behaviour, loaded with defer on every page. No inline scripts or
   on*= attributes in templates (a strict Content-Security-Policy is coming):
   templates mark elements with data-* attributes and this file wires them up.
   Each part is a small progressive enhancement; every page works without it. */
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form
  // (the form keeps a <noscript> submit button for when this file does not run).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.submit();
  });

  // Tag suggestions: <div data-tag-input="id_tags"> holds buttons with data-tag
  // (forum/includes/tag_suggestions.html, swapped in by htmx). Clicking one
  // replaces the word being typed after the last comma in that input.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-tag]");
    if (!button) return;
    var box = button.closest("[data-tag-input]");
    var input = box && document.getElementById(box.dataset.tagInput);
    if (!input) return;
    var parts = input.value.split(",");
    parts[parts.length - 1] = " " + button.dataset.tag;
    input.value = parts.map(function (p) { return p.trim(); }).filter(Boolean).join(", ") + ", ";
    input.focus();
    box.innerHTML = "";
  });

  // <details data-fold-below="900">: starts folded on screens up to that width,
  // so on a phone the search results come before the filters.
  function foldNarrowPanels() {
    document.querySelectorAll("details[data-fold-below]").forEach(function (panel) {
      var width = parseInt(panel.dataset.foldBelow, 10);
      if (window.matchMedia("(max-width: " + width + "px)").matches) panel.open = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", foldNarrowPanels);
  } else {
    foldNarrowPanels();
  }
  // Character counters: <p data-counter-for="id_body" data-limit="20000"> under a field
  // (includes/field_counter.html). Counted as the server counts (characters, a line
  // break sent as two), so "over" here is "over" when posted; nothing is ever cut.
  function countOf(text) {
    return Array.from(text).length + (text.match(/\n/g) || []).length;
  }
  function updateCounter(counter) {
    var field = document.getElementById(counter.dataset.counterFor);
    if (!field) return;
    var limit = parseInt(counter.dataset.limit, 10);
    var count = countOf(field.value);
    counter.querySelector("[data-count]").textContent = count.toLocaleString("en");
    var over = counter.querySelector("[data-over]");
    var isOver = count > limit;
    counter.classList.toggle("is-over", isOver);
    var text = isOver ? " — " + (count - limit).toLocaleString("en") + " over the limit: shorten it before posting" : "";
    if (over.textContent !== text) over.textContent = text;
  }
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.id) return;
    var counter = document.querySelector('[data-counter-for="' + field.id + '"]');
    if (counter) updateCounter(counter);
  });
  function initCounters() {
    document.querySelectorAll("[data-counter-for]").forEach(updateCounter);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initCounters);
  } else {
    initCounters();
  }

  // Keep the keyboard's place through an htmx swap: a button with data-focus-key that
  // had focus when its fragment was replaced (me-too, follow, helpful) gets focus back
  // in the new fragment, instead of focus falling to the top of the page.
  var focusKey = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    focusKey = active && active.dataset && active.dataset.focusKey &&
      event.detail.target && event.detail.target.contains(active) ? active.dataset.focusKey : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!focusKey) return;
    var again = document.querySelector('[data-focus-key="' + focusKey + '"]');
    focusKey = null;
    if (again) again.focus();
  });

  // Esc closes an open menu (<details data-menu>, e.g. the account menu) and puts the
  // focus back on its button; a click outside closes it too.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      menu.open = false;
      var summary = menu.querySelector("summary");
      if (summary && menu.contains(document.activeElement)) summary.focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  // Comments (forum/includes/comments.html): a link to a comment behind "Show N more
  // comments" (an email's link, say) opens the <details> it is in; opening "Add a
  // comment" puts the cursor in its box.
  function openToTarget() {
    var id = window.location.hash.slice(1);
    var target = id && document.getElementById(decodeURIComponent(id));
    var folded = target && target.closest("details:not([open])");
    if (!folded) return;
    folded.open = true;
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", openToTarget);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openToTarget);
  } else {
    openToTarget();
  }
  document.addEventListener("toggle", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("details.comment-add") || !box.open) return;
    var field = box.querySelector("textarea");
    if (field) field.focus();
  }, true);

  // A 429 (rate limit) answer to an htmx request carries a notice for #notices
  // (config/ratelimits.py); htmx swaps no 4xx by default, so let this one through.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
