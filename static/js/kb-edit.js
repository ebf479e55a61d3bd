/* The article editor (templates/kb/edit.html): a warning before leaving the page with
   unsaved changes, and a note that says there are some. Loaded with defer on the
   editor only. Nothing depends on it: "Save draft" and "Save and publish" are buttons
   of the same form, so the server always saves (and publishes) the text it receives. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-warn-unsaved]");
  if (!form) return;

  function snapshot() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  var saved = snapshot();
  var submitting = false;

  function dirty() {
    return !submitting && snapshot() !== saved;
  }

  function showNotes() {
    var changed = dirty();
    document.querySelectorAll("[data-unsaved-note]").forEach(function (note) {
      note.hidden = !changed;
    });
  }

  form.addEventListener("input", showNotes);
  form.addEventListener("change", showNotes);
  // The form's own buttons (also the sidebar's, which belong to it through form=) send
  // the text: leaving by them loses nothing.
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty()) {
      event.preventDefault();
      event.returnValue = "";  // older browsers show their own message only when this is set
    }
  });
  // Back from the bfcache after a submit that did not leave (e.g. a network error).
  window.addEventListener("pageshow", function () {
    submitting = false;
  });
})();
