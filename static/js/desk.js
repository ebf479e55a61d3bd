/* The staff desk's behaviour on a question's page (loaded by the staff panel,
   templates/desk/includes/staff_panel.html). No inline scripts or on*= attributes:
   the strict Content-Security-Policy allows neither. Every part works without it. */
(function () {
  "use strict";

  // Saved replies: <form data-saved-replies="<selector of the answer box>"> holds a
  // <select name="reply"> whose options carry the reply filled in for this thread in
  // data-text (rendered and escaped by the server). "Insert" puts that text at the
  // cursor in the answer box, keeping what is already typed, without leaving the page,
  // and leaves the cursor after it.
  // Without this file the form is a GET that reloads the page with the reply in the box.
  // A saved reply is one or more paragraphs: where the cursor is in the middle of a
  // line, a blank line keeps it apart from the text around it.
  function asParagraphs(box, text, start, end) {
    var before = box.value.slice(0, start);
    var after = box.value.slice(end);
    if (before && !/\n\n$/.test(before)) text = (/\n$/.test(before) ? "\n" : "\n\n") + text;
    if (after && !/^\n/.test(after)) text = text + "\n\n";
    return text;
  }

  function insertAtCursor(box, text) {
    var start = box.selectionStart;
    var end = box.selectionEnd;
    text = asParagraphs(box, text, start, end);
    box.focus();
    box.setSelectionRange(start, end);
    // execCommand keeps the browser's undo (Ctrl+Z) working; where it is refused,
    // setRangeText does the same edit without undo.
    var done = false;
    try {
      done = document.execCommand("insertText", false, text);
    } catch (error) {
      done = false;
    }
    if (!done || box.value.slice(start, start + text.length) !== text) {
      box.setRangeText(text, start, end, "end");
      // The live preview (htmx, "input changed from:#id_body") follows the box.
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-saved-replies]");
    if (!form) return;
    var box = document.querySelector(form.dataset.savedReplies);
    var select = form.elements.reply;
    var option = select && select.options[select.selectedIndex];
    if (!box || !option || option.dataset.text === undefined) return; // the plain GET
    event.preventDefault();
    insertAtCursor(box, option.dataset.text);
    var status = form.parentNode.querySelector("[data-saved-replies-status]");
    if (status) status.textContent = "Inserted “" + option.textContent.trim() + "” into your answer.";
  });
})();
